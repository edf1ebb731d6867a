/**
 * Rotating FENXIAO_SECRET_KEY (docs/operations.md): values sealed under key A open after rotating to key B with A
 * removed from the ring; blind indexes are recomputed, so duplicates are still found; the rotation runs in batches,
 * resumes after an interruption, changes nothing when run again, and counts what no key opens. Then through the
 * `fenxiao keys rotate` and `fenxiao keys generate` commands as an operator runs them. On PGlite and PostgreSQL.
 */
import { spawn } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type KeyRing, keyRing, newSecretKeyText, open, parseSecretKey, seal, sealedKeyId } from "../src/crypto/sealed.ts";
import { type Db, PgliteDb, PostgresDb } from "../src/db/client.ts";
import { migrate } from "../src/db/migrate.ts";
import { secretAad as connectorAad } from "../src/modules/connectors/service.ts";
import { revealIdentity, revealPayee } from "../src/modules/identity/reveal.ts";
import { accountIndex, idNumberIndex } from "../src/modules/identity/sealing.ts";
import { addPayoutAccount, putIdentity } from "../src/modules/identity/service.ts";
import { createPromoter } from "../src/modules/promoters/service.ts";
import { secretAad as webhookAad } from "../src/modules/webhooks/repository.ts";
import { rotateSealedValues, SEALED_COLUMNS } from "../src/sealed-targets.ts";
import { createTestDatabase, onPostgres, tempDirs, testDb } from "./helpers.ts";
import { APPID, cardNumber, OPENID_1, residentId } from "./identity-fixtures.ts";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const CLI = join(ROOT, "packages/server/src/cli/main.ts");
const KEY_A = newSecretKeyText();
const KEY_B = newSecretKeyText();
const KEY_C = newSecretKeyText();
const AT = new Date("2026-03-02T02:00:00Z");
const access = { merchantId: "mch_rotation", actor: "system:test", purpose: "rotation-check", at: AT };

const cleanups: (() => Promise<void>)[] = [];
const dirs = tempDirs("fenxiao-keys-");
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  dirs.cleanup();
});

interface Person {
  promoterId: string;
  idNumber: string;
  card: string;
  accountIds: string[];
}

/** A promoter with an identity and two payout accounts, sealed under `ring`. */
async function person(db: Db, ring: KeyRing, n: number): Promise<Person> {
  const idNumber = residentId(`31011519851120${String(100 + n)}`);
  const card = cardNumber(`62220210001${String(1000 + n)}`);
  return db.tx(async (q) => {
    const promoterId = await createPromoter(q, ring, { name: `p${n}` });
    await putIdentity(
      q,
      ring,
      promoterId,
      { legalName: "王五", idType: "cn_resident_id", idNumber, phone: n % 2 ? "13800001111" : undefined },
      AT,
    );
    const bank = await addPayoutAccount(
      q,
      ring,
      promoterId,
      { kind: "bank", holderName: "王五", bankName: "工商银行", cardNumber: card, branch: null },
      AT,
    );
    const openid = `${OPENID_1.slice(0, -2)}${String(10 + n)}`;
    const wechat = await addPayoutAccount(q, ring, promoterId, { kind: "wechat", appid: APPID, openid }, AT);
    return { promoterId, idNumber, card, accountIds: [bank.id, wechat.id] };
  });
}

async function keyIds(db: Db): Promise<string[]> {
  const rows = await db.read((q) =>
    q.query<{ s: string }>(
      `SELECT legal_name_sealed AS s FROM promoter_identities UNION ALL SELECT id_number_sealed FROM promoter_identities
       UNION ALL SELECT phone_sealed FROM promoter_identities WHERE phone_sealed IS NOT NULL UNION ALL SELECT details_sealed FROM payout_accounts`,
    ),
  );
  return [...new Set(rows.map((r) => sealedKeyId(r.s)))].sort();
}

describe("re-sealing under a new key", () => {
  it("values sealed under A open under B alone after rotating; indexes follow; a second run changes nothing", async () => {
    const t = await testDb();
    cleanups.push(t.drop);
    const ringA = keyRing(KEY_A);
    const people = [await person(t.db, ringA, 1), await person(t.db, ringA, 2), await person(t.db, ringA, 3)];
    const ringBA = keyRing(KEY_B, [KEY_A]);
    // while both keys are in the ring, a duplicate under A's index is still found
    const dup = await t.db.tx(async (q) => {
      const id = await createPromoter(q, ringBA, { name: "dup" });
      return putIdentity(q, ringBA, id, { legalName: "赵六", idType: "cn_resident_id", idNumber: people[0]?.idNumber as string }, AT).catch(
        (e) => e,
      );
    });
    expect(dup).toMatchObject({ code: "IDENTITY_IN_USE" });
    // a value sealed under a key that is in no ring: counted, left alone
    await person(t.db, keyRing(KEY_C), 4);

    const lines: string[] = [];
    const counts = await rotateSealedValues(t.db, ringBA, { batchSize: 2, log: (l) => lines.push(l) });
    expect(counts).toEqual([
      { table: "promoter_identities", found: 4, resealed: 3, unreadable: 1 },
      { table: "payout_accounts", found: 8, resealed: 6, unreadable: 2 },
      { table: "payout_provider_configs", found: 0, resealed: 0, unreadable: 0 },
      { table: "webhook_endpoints", found: 0, resealed: 0, unreadable: 0 },
      { table: "connectors", found: 0, resealed: 0, unreadable: 0 },
      { table: "customers", found: 0, resealed: 0, unreadable: 0 },
      { table: "promoters", found: 0, resealed: 0, unreadable: 0 },
    ]);
    expect(lines.length).toBeGreaterThan(3); // in batches of 2
    expect(await keyIds(t.db)).toEqual([parseSecretKey(KEY_B).id, parseSecretKey(KEY_C).id].sort());
    const again = await rotateSealedValues(t.db, ringBA, { batchSize: 2 });
    expect(again.map((c) => c.resealed)).toEqual([0, 0, 0, 0, 0, 0, 0]);

    const ringB = keyRing(KEY_B);
    for (const p of people) {
      const id = await t.db.tx((q) => revealIdentity(q, ringB, p.promoterId, access));
      expect(id?.idNumber).toBe(p.idNumber);
      const bank = await t.db.tx((q) => revealPayee(q, ringB, p.promoterId, p.accountIds[0] as string, access));
      expect(bank).toMatchObject({ kind: "bank", cardNumber: p.card });
      const [row] = await t.db.read((q) =>
        q.query<{ i: string; a: string }>(
          `SELECT i.id_number_index AS i, a.account_index AS a FROM promoter_identities i JOIN payout_accounts a ON a.promoter_id = i.promoter_id
           WHERE i.promoter_id = $1 AND a.id = $2`,
          [p.promoterId, p.accountIds[0]],
        ),
      );
      expect(row?.i).toBe(idNumberIndex(ringB.current, "cn_resident_id", p.idNumber));
      expect(row?.a).toBe(accountIndex(ringB.current, { kind: "bank", holderName: "", bankName: "", cardNumber: p.card, branch: null }));
    }
    // A is gone from the ring: duplicates are found by B's indexes alone
    const dupB = await t.db.tx(async (q) => {
      const id = await createPromoter(q, ringB, { name: "dup2" });
      return putIdentity(q, ringB, id, { legalName: "赵六", idType: "cn_resident_id", idNumber: people[1]?.idNumber as string }, AT).catch(
        (e) => e,
      );
    });
    expect(dupB).toMatchObject({ code: "IDENTITY_IN_USE" });
  });

  it("an interrupted rotation resumes where it stopped", async () => {
    const t = await testDb();
    cleanups.push(t.drop);
    const ringA = keyRing(KEY_A);
    for (let n = 1; n <= 5; n++) await person(t.db, ringA, n);
    const ringBA = keyRing(KEY_B, [KEY_A]);
    await expect(
      rotateSealedValues(t.db, ringBA, {
        batchSize: 2,
        log: () => {
          throw new Error("killed");
        },
      }),
    ).rejects.toThrow("killed");
    // the first batch was committed, the rest not
    const mixed = await keyIds(t.db);
    expect(mixed).toEqual([parseSecretKey(KEY_A).id, parseSecretKey(KEY_B).id].sort());
    const rest = await rotateSealedValues(t.db, ringBA, { batchSize: 2 });
    expect(rest[0]).toEqual({ table: "promoter_identities", found: 3, resealed: 3, unreadable: 0 });
    expect(rest[1]).toEqual({ table: "payout_accounts", found: 10, resealed: 10, unreadable: 0 });
    expect(await keyIds(t.db)).toEqual([parseSecretKey(KEY_B).id]);
  });
});

function fenxiao(args: string[], env: Record<string, string>): Promise<{ code: number | null; out: string; err: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...env };
  if (!env.DATABASE_URL) delete childEnv.DATABASE_URL;
  if (!env.FENXIAO_SECRET_KEYS_PREVIOUS) delete childEnv.FENXIAO_SECRET_KEYS_PREVIOUS;
  return new Promise((ok, fail) => {
    const proc = spawn(process.execPath, ["--import", "tsx", CLI, ...args], {
      cwd: ROOT,
      env: childEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    proc.stdout.on("data", (b: Buffer) => {
      out += b.toString("utf8");
    });
    proc.stderr.on("data", (b: Buffer) => {
      err += b.toString("utf8");
    });
    proc.once("error", fail);
    proc.once("exit", (code) => ok({ code, out, err }));
  });
}

/** A store the CLI can open: a fresh PostgreSQL database, or a data directory of the embedded database. */
async function cliStore(): Promise<{ env: Record<string, string>; open(): Promise<Db> }> {
  if (onPostgres) {
    const t = await createTestDatabase();
    cleanups.push(t.drop);
    return { env: { DATABASE_URL: t.url }, open: async () => PostgresDb.open(t.url, 2) };
  }
  const dir = dirs.make();
  return { env: { FENXIAO_DATA_DIR: dir }, open: () => PgliteDb.open(dir) };
}

describe("every sealed column is rotated", () => {
  it("each *_sealed column of the schema belongs to a rotation target", async () => {
    const t = await testDb();
    cleanups.push(t.drop);
    const cols = await t.db.read((q) =>
      q.query<{ table_name: string; column_name: string }>(
        `SELECT table_name, column_name FROM information_schema.columns
         WHERE table_schema = current_schema() AND column_name LIKE '%\\_sealed' ESCAPE '\\' ORDER BY 1, 2`,
      ),
    );
    expect(cols.length).toBeGreaterThan(5);
    for (const c of cols) expect(SEALED_COLUMNS[c.table_name] ?? [], `${c.table_name}.${c.column_name}`).toContain(c.column_name);
    // and every target's query runs on a real schema
    const counts = await rotateSealedValues(t.db, keyRing(KEY_B, [KEY_A]));
    expect(counts.map((c) => c.table).sort()).toEqual(Object.keys(SEALED_COLUMNS).sort());
  });

  it("webhook and connector secrets and provider configurations move to the new key and still open", async () => {
    const t = await testDb();
    cleanups.push(t.drop);
    const ringA = keyRing(KEY_A);
    const at = new Date("2026-11-01T00:00:00Z");
    await t.db.tx(async (q) => {
      await q.query("INSERT INTO merchants (id, name) VALUES ('mch_r', 'R')");
      await q.query(`INSERT INTO programs (merchant_id, id, name, landing_url) VALUES ('mch_r', 'prg_r', 'P', 'https://shop.example.com')`);
      await q.query(
        `INSERT INTO webhook_endpoints (merchant_id, id, url, description, events, secret_sealed, previous_secret_sealed, created_at, updated_at)
         VALUES ('mch_r', 'whe_1', 'https://example.com/h', '', '{*}', $1, $2, $3, $3)`,
        [
          seal(ringA, "whsec_cur", webhookAad("mch_r", "whe_1", "current")),
          seal(ringA, "whsec_old", webhookAad("mch_r", "whe_1", "previous")),
          at,
        ],
      );
      await q.query(
        `INSERT INTO connectors (merchant_id, id, program_id, platform, name, secret_sealed, secret_hint, order_ref_prefix, created_at)
         VALUES ('mch_r', 'con_1', 'prg_r', 'shopify', 'S', $1, 'cret', 'shopify:', $2)`,
        [seal(ringA, "shpss_secret", connectorAad("con_1")), at],
      );
    });
    const ringBA = keyRing(KEY_B, [KEY_A]);
    const counts = await rotateSealedValues(t.db, ringBA);
    expect(counts.find((c) => c.table === "webhook_endpoints")).toEqual({
      table: "webhook_endpoints",
      found: 1,
      resealed: 1,
      unreadable: 0,
    });
    expect(counts.find((c) => c.table === "connectors")).toEqual({ table: "connectors", found: 1, resealed: 1, unreadable: 0 });
    const ringB = keyRing(KEY_B);
    const [w] = await t.db.read((q) =>
      q.query<{ secret_sealed: string; previous_secret_sealed: string }>("SELECT * FROM webhook_endpoints"),
    );
    expect(open(ringB, w?.secret_sealed ?? "", webhookAad("mch_r", "whe_1", "current"))).toBe("whsec_cur");
    expect(open(ringB, w?.previous_secret_sealed ?? "", webhookAad("mch_r", "whe_1", "previous"))).toBe("whsec_old");
    const [c] = await t.db.read((q) => q.query<{ secret_sealed: string }>("SELECT secret_sealed FROM connectors"));
    expect(open(ringB, c?.secret_sealed ?? "", connectorAad("con_1"))).toBe("shpss_secret");
  });
});

describe("fenxiao keys", () => {
  it("generate prints a key the server accepts", async () => {
    const r = await fenxiao(["keys", "generate"], {});
    expect(r.code, r.err).toBe(0);
    expect(parseSecretKey(r.out.trim()).key.length).toBe(32);
  }, 60_000);

  it("rotate re-seals under FENXIAO_SECRET_KEY what FENXIAO_SECRET_KEYS_PREVIOUS sealed, and says so; then nothing is left", async () => {
    const store = await cliStore();
    let db = await store.open();
    await migrate(db);
    const p = await person(db, keyRing(KEY_A), 1);
    await db.close();
    const env = { ...store.env, FENXIAO_SECRET_KEY: KEY_B, FENXIAO_SECRET_KEYS_PREVIOUS: KEY_A };
    const r = await fenxiao(["keys", "rotate", "--batch", "1"], env);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toContain("promoter_identities: 1 under an earlier key, 1 re-sealed, 0 unreadable");
    expect(r.out).toContain("payout_accounts: 2 under an earlier key, 2 re-sealed, 0 unreadable");
    const again = await fenxiao(["keys", "rotate"], env);
    expect(again.out).toContain("promoter_identities: 0 under an earlier key");
    // without A's key, a value A sealed would be reported and the command fails
    db = await store.open();
    await person(db, keyRing(KEY_C), 2);
    await db.close();
    const stuck = await fenxiao(["keys", "rotate"], { ...store.env, FENXIAO_SECRET_KEY: KEY_B });
    expect(stuck.code).toBe(1);
    expect(stuck.err).toMatch(/open under no key of the ring/);
    db = await store.open();
    try {
      const id = await db.tx((q) => revealIdentity(q, keyRing(KEY_B), p.promoterId, access));
      expect(id?.idNumber).toBe(p.idNumber);
    } finally {
      await db.close();
    }
    const bad = await fenxiao(["keys", "rotate", "--batch", "0"], env);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain("--batch");
  }, 180_000);
});
