#!/usr/bin/env node
// The `fenxiao` operator CLI: runs the TypeScript sources directly through tsx.
import { register } from "tsx/esm/api";

register();
await import("../src/cli/main.ts");
