// Types of eslint.config.js for the test that imports its layer rules (test/lint/layers.test.ts).
import type { Linter } from "eslint";

export declare const layers: Linter.Config[];
declare const config: Linter.Config[];
export default config;
