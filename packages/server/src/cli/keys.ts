/** `fenxiao keys generate` and `fenxiao keys rotate` (docs/operations.md, "Rotating FENXIAO_SECRET_KEY"). */
import { loadConfig } from "../config.ts";
import { loadKeyRing } from "../crypto/key-file.ts";
import { ROTATE_BATCH_DEFAULT } from "../crypto/rotation.ts";
import { newSecretKeyText } from "../crypto/sealed.ts";
import { rotateSealedValues } from "../sealed-targets.ts";
import type { CliCommand } from "./commands.ts";
import { withDb } from "./commands.ts";

function batchSizeOf(args: string[]): number {
  const i = args.indexOf("--batch");
  if (i < 0) return ROTATE_BATCH_DEFAULT;
  const n = Number(args[i + 1]);
  if (!Number.isInteger(n) || n < 1 || n > 100_000) throw new Error("--batch must be a whole number from 1 to 100000");
  return n;
}

export const keyCommands: CliCommand[] = [
  {
    name: "keys",
    sub: "generate",
    usage: "keys generate",
    summary: "print a new random key for FENXIAO_SECRET_KEY (32 bytes, base64)",
    async run() {
      console.log(newSecretKeyText());
      return 0;
    },
  },
  {
    name: "keys",
    sub: "rotate",
    usage: "keys rotate [--batch <rows>]",
    summary: "re-seal personal data still under a key of FENXIAO_SECRET_KEYS_PREVIOUS with FENXIAO_SECRET_KEY; resumable",
    async run(args) {
      const batchSize = batchSizeOf(args);
      const config = loadConfig();
      const ring = loadKeyRing(config);
      return withDb(async (db) => {
        console.log(
          `re-sealing under key ${ring.current.id}; earlier keys in the ring: ${ring.previous.map((k) => k.id).join(", ") || "none"}`,
        );
        const counts = await rotateSealedValues(db, ring, { batchSize, log: (line) => console.log(line) });
        for (const c of counts)
          console.log(`${c.table}: ${c.found} under an earlier key, ${c.resealed} re-sealed, ${c.unreadable} unreadable`);
        const unreadable = counts.reduce((n, c) => n + c.unreadable, 0);
        if (unreadable > 0) {
          console.error(
            `${unreadable} value(s) open under no key of the ring: add the key they were sealed with to FENXIAO_SECRET_KEYS_PREVIOUS and run again`,
          );
          return 1;
        }
        console.log("keys rotate: done; every sealed value is under the current key");
        return 0;
      });
    },
  },
];
