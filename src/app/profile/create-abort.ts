// How a Create on this machine stops: CreateAbort carries the reason the report gives, a disk
// fault (full, read-only, failing) stops the whole create, and an error is named by its code.
// Shared by the writer (profile-writer.ts) and the parts it builds with (profile-contents.ts,
// profile-skills.ts).

/** A step found a reason to stop the create; the message is the report's problem line. */
export class CreateAbort extends Error {}

/**
 * A full disk, a quota, a read-only or failing device: the whole create stops (staging removed), so
 * a profile is never made visible without the skills its manifest would have listed. A single
 * skill missing from the library stays a per-step failure in the report.
 */
const DISK_FAULTS = new Set(["ENOSPC", "EDQUOT", "EROFS", "EIO"]);

export function isDiskFault(error: unknown): boolean {
  return DISK_FAULTS.has((error as NodeJS.ErrnoException).code ?? "");
}

export function errorCode(error: unknown): string {
  return (error as NodeJS.ErrnoException).code ?? (error as Error).message;
}
