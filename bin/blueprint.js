#!/usr/bin/env node
// The one executable. It runs the TypeScript sources through tsx's loader, so a checkout needs no
// build step: `npm start` and `npm run blueprint -- <command>` both come here.
import { register } from "tsx/esm/api";

register();
await import("../src/cli.ts");
