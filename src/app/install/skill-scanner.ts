// The security scan a hub skill passes before it is installed, after Hermes' skills_guard: it
// reads the quarantined copy and reports findings by severity. Any critical finding makes the
// verdict DANGEROUS, any high one CAUTION (the rule of Hermes' own skills_guard, checked against it in HERMES-COMPAT.md).
import { lstat, readdir, readFile, realpath } from "node:fs/promises";
import path from "node:path";

export const SCAN_MAX_FILES = 50;
export const SCAN_MAX_FILE_BYTES = 256 * 1024;

export type Severity = "critical" | "high" | "medium";
export type Verdict = "SAFE" | "CAUTION" | "DANGEROUS";

export interface Finding {
  readonly severity: Severity;
  readonly category: "exfiltration" | "prompt-injection" | "destructive" | "persistence" | "structure";
  readonly file: string;
  readonly line?: number;
  readonly what: string;
}

const NETWORK_CALL =
  /\b(curl|wget|nc|ncat|fetch\(|requests\.(get|post|put)|http\.request|urllib|Invoke-WebRequest)\b/;
const SECRET_VARIABLE =
  /\$\{?[A-Za-z_]*(KEY|TOKEN|SECRET|PASSWORD)[A-Za-z_]*\}?|process\.env\.[A-Z_]*(KEY|TOKEN|SECRET)|os\.environ/;

const LINE_RULES: readonly {
  readonly test: (line: string) => boolean;
  readonly finding: Omit<Finding, "file" | "line">;
}[] = [
  {
    test: (line) => NETWORK_CALL.test(line) && SECRET_VARIABLE.test(line),
    finding: {
      severity: "critical",
      category: "exfiltration",
      what: "sends a KEY/TOKEN/SECRET variable over the network",
    },
  },
  {
    test: (line) => /(~|\$HOME|\/root|\/home\/[^/\s]+)\/\.(ssh|aws|gnupg)\b/.test(line),
    finding: { severity: "critical", category: "exfiltration", what: "reads ~/.ssh, ~/.aws or ~/.gnupg" },
  },
  {
    test: (line) => /\b(cat|source|open\(|readFile)\b[^\n]*[\s"'(/]\.env\b/.test(line),
    finding: { severity: "critical", category: "exfiltration", what: "reads a .env file" },
  },
  {
    test: (line) =>
      /ignore (all |any )?(the )?(previous|prior|above|earlier) (instructions|rules|prompts)/i.test(line),
    finding: {
      severity: "high",
      category: "prompt-injection",
      what: "tells the agent to ignore its instructions",
    },
  },
  {
    test: (line) => /[\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/.test(line),
    finding: {
      severity: "high",
      category: "prompt-injection",
      what: "contains zero-width or bidi control characters",
    },
  },
  {
    test: (line) =>
      /\brm\s+-[a-z]*r[a-z]*f?[a-z]*\s+(--no-preserve-root\s+)?\/(\s|\*|$)/.test(line) ||
      /\bmkfs(\.\w+)?\b/.test(line) ||
      /\bdd\b[^\n]*\bof=\/dev\//.test(line),
    finding: {
      severity: "critical",
      category: "destructive",
      what: "runs a destructive command (rm -rf /, mkfs, dd of=/dev/)",
    },
  },
  {
    test: (line) =>
      /\bcrontab\b|\/etc\/cron|authorized_keys|\/etc\/sudoers|>>?\s*~?\/?[^\s]*\.(bashrc|zshrc|profile|bash_profile)\b/.test(
        line,
      ),
    finding: {
      severity: "high",
      category: "persistence",
      what: "changes cron, shell start-up files, authorized_keys or sudoers",
    },
  },
];

export interface ScanResult {
  readonly verdict: Verdict;
  readonly findings: readonly Finding[];
  readonly files: readonly string[];
}

export async function scanSkill(dir: string): Promise<ScanResult> {
  const findings: Finding[] = [];
  const files: string[] = [];
  const root = await realpath(dir);
  await walk(root, root, files, findings);
  if (files.length > SCAN_MAX_FILES) {
    findings.push({
      severity: "high",
      category: "structure",
      file: ".",
      what: `has ${files.length} files (more than ${SCAN_MAX_FILES})`,
    });
  }
  const verdict: Verdict = findings.some((f) => f.severity === "critical")
    ? "DANGEROUS"
    : findings.some((f) => f.severity === "high")
      ? "CAUTION"
      : "SAFE";
  return { verdict, findings, files: files.sort() };
}

async function walk(root: string, dir: string, files: string[], findings: Finding[]): Promise<void> {
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const full = path.join(dir, entry.name);
    const rel = path.relative(root, full);
    if (entry.isSymbolicLink()) {
      const target = await realpath(full).catch(() => undefined);
      if (!target || (target !== root && !target.startsWith(`${root}${path.sep}`))) {
        findings.push({
          severity: "critical",
          category: "structure",
          file: rel,
          what: "is a symlink that points outside the skill",
        });
      }
      continue;
    }
    if (entry.isDirectory()) {
      await walk(root, full, files, findings);
      continue;
    }
    if (!entry.isFile()) continue;
    files.push(rel);
    const size = (await lstat(full)).size;
    if (size > SCAN_MAX_FILE_BYTES) {
      findings.push({
        severity: "high",
        category: "structure",
        file: rel,
        what: `is ${size} bytes (over ${SCAN_MAX_FILE_BYTES})`,
      });
      continue;
    }
    const bytes = await readFile(full);
    if (bytes.subarray(0, 8192).includes(0)) {
      findings.push({ severity: "high", category: "structure", file: rel, what: "is a binary file" });
      continue;
    }
    scanText(rel, bytes.toString("utf8"), findings);
  }
}

function scanText(file: string, text: string, findings: Finding[]): void {
  text.split("\n").forEach((line, index) => {
    for (const rule of LINE_RULES) {
      if (rule.test(line)) findings.push({ ...rule.finding, file, line: index + 1 });
    }
  });
  // Hidden HTML comments can carry instructions a human reviewer never sees rendered.
  for (const match of text.matchAll(/<!--([\s\S]*?)-->/g)) {
    if ((match[1] ?? "").trim().length > 0) {
      const line = text.slice(0, match.index).split("\n").length;
      findings.push({
        severity: "high",
        category: "prompt-injection",
        file,
        line,
        what: "hides text in an HTML comment",
      });
    }
  }
}
