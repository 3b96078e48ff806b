// `blueprint personas lint`: the loader's own checks, printed, with a non-zero exit on any problem.
import { loadPersonas } from "./persona-loader.ts";

export async function lintPersonas(dir: string, print: (line: string) => void): Promise<number> {
  const { library, problems } = await loadPersonas(dir, { lint: true });
  for (const problem of problems)
    print(`${problem.file}: ${problem.level === "skipped" ? "skipped" : "warning"}: ${problem.reason}`);
  print(`${library.size} persona(s) loaded from ${dir}; ${problems.length} problem(s).`);
  return problems.length === 0 && library.size > 0 ? 0 : 1;
}
