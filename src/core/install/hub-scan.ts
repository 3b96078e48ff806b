// What the scan before Create found for one hub skill picked in the wizard, and the one line
// Review shows for it. The scan itself runs in the app (Hermes' own scanner, or the bundled one);
// the wizard only reads its results from its context, so it stays pure.
import { shownIdentifier } from "../hub-identifier.ts";
import { cleanOutsideText, OUTSIDE_DETAIL_MAX_CHARS } from "../outside-text.ts";

export type ScanVerdict = "safe" | "caution" | "dangerous";
export type ScanTrust = "builtin" | "trusted" | "community";

export type HubScan =
  | { readonly status: "scanning" }
  /** Fetched and scanned: the verdict, the trust, and whether the install would take it. */
  | {
      readonly status: "scanned";
      readonly verdict: ScanVerdict;
      readonly trust: ScanTrust;
      readonly allowed: boolean;
      /** Only --force would install it (Hermes: a blocked caution verdict; never a dangerous one). */
      readonly forceOnly: boolean;
      /** The installer's reason when it refuses (outside text: cleaned when shown). */
      readonly reason: string;
    }
  /** Not scanned: not fetched, timed out, or refused before the scan (the reason says which). */
  | { readonly status: "failed"; readonly reason: string };

/** Scan results by hub identifier, as the app has them now. */
export type HubScans = ReadonlyMap<string, HubScan>;

const MARK: Readonly<Record<ScanVerdict, string>> = { safe: "✓", caution: "⚠", dangerous: "✗" };

/** Whether the install after Create would refuse this skill. */
export function refusedByScan(scan: HubScan | undefined): boolean {
  return scan?.status === "scanned" && !scan.allowed;
}

/**
 * One Review line per hub skill: "✓ safe · community", "⚠ caution · community — will not be
 * installed: …", "✗ dangerous · community — will not be installed: …", or "scanning…".
 */
export function hubScanLine(identifier: string, scan: HubScan | undefined): string {
  const id = shownIdentifier(identifier);
  if (!scan || scan.status === "scanning") return `  ${id}: scanning…`;
  if (scan.status === "failed")
    return `  ${id}: not scanned — ${cleanOutsideText(scan.reason, OUTSIDE_DETAIL_MAX_CHARS)}`;
  const head = `  ${id}: ${MARK[scan.verdict]} ${scan.verdict} · ${scan.trust}`;
  if (scan.allowed) return head;
  const why = scan.forceOnly
    ? "installed with --force only"
    : cleanOutsideText(scan.reason, OUTSIDE_DETAIL_MAX_CHARS);
  return `${head} — will not be installed: ${why}`;
}
