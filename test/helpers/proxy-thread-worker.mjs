// Entry of the proxy's worker thread (proxy-thread.ts): a worker does not inherit the parent's
// `--import tsx`, so it registers tsx before loading the TypeScript body.
import { register } from "tsx/esm/api";

register();
await import("./proxy-thread-body.ts");
