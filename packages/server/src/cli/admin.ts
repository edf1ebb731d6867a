/**
 * `fenxiao admin create --email … [--name …] [--password-fd N]`: create a platform admin (the first one on a fresh
 * database). The password never comes from the command line (other users see it in `ps`, the shell keeps it in its
 * history): it is read from file descriptor N, from FENXIAO_ADMIN_PASSWORD, or typed at a prompt without echo.
 */
import { readFileSync } from "node:fs";
import { z } from "zod";
import { ApiError } from "../http/errors.ts";
import { requireStrongPassword } from "../modules/auth/passwords.ts";
import { createPlatformAdmin } from "../modules/auth/service.ts";
import { type CliCommand, withDb } from "./commands.ts";

export const ADMIN_PASSWORD_ENV = "FENXIAO_ADMIN_PASSWORD";

interface AdminArgs {
  email: string;
  name: string;
  passwordFd: number | null;
}

function parseArgs(args: string[]): AdminArgs {
  let email: string | undefined;
  let name = "Platform admin";
  let passwordFd: number | null = null;
  for (let i = 0; i < args.length; i++) {
    const [flag, inline] = (args[i] as string).split(/=(.*)/s, 2) as [string, string | undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    if (flag === "--email") email = value();
    else if (flag === "--name") name = value();
    else if (flag === "--password-fd") {
      const v = value();
      if (!/^\d{1,4}$/.test(v)) throw new Error(`--password-fd needs a file descriptor number, got ${v}`);
      passwordFd = Number(v);
    } else if (flag === "--password")
      throw new Error(
        `a password on the command line is visible to other users and kept in the shell's history: use --password-fd N, ${ADMIN_PASSWORD_ENV}, or type it at the prompt`,
      );
    else throw new Error(`unknown option ${flag}`);
  }
  if (!email) throw new Error("give --email");
  if (!z.string().email().max(200).safeParse(email).success) throw new Error(`--email: not an e-mail address: ${email}`);
  return { email, name, passwordFd };
}

/** A password typed at the terminal, not echoed (raw mode: Enter ends it, Backspace deletes, Ctrl-C cancels). */
export function readHidden(prompt: string): Promise<string> {
  const input = process.stdin;
  return new Promise((ok, fail) => {
    let typed = "";
    const finish = (err: Error | null) => {
      input.off("data", onData);
      input.setRawMode(false);
      input.pause();
      process.stderr.write("\n");
      if (err) fail(err);
      else ok(typed);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === "\r" || ch === "\n" || ch === "\u0004") return finish(null);
        if (ch === "\u0003") return finish(new Error("cancelled"));
        if (ch === "\u007f" || ch === "\b") typed = [...typed].slice(0, -1).join("");
        else typed += ch;
      }
    };
    // echo off before the prompt shows: a password typed as soon as the prompt appears is never echoed
    input.setEncoding("utf8");
    input.setRawMode(true);
    process.stderr.write(prompt);
    input.resume();
    input.on("data", onData);
  });
}

async function readPassword(a: AdminArgs): Promise<string> {
  if (a.passwordFd !== null) return readFileSync(a.passwordFd, "utf8").replace(/\r?\n$/, "");
  const fromEnv = process.env[ADMIN_PASSWORD_ENV];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) throw new Error(`no terminal to ask for the password: give --password-fd N or set ${ADMIN_PASSWORD_ENV}`);
  const first = await readHidden("Password: ");
  const again = await readHidden("Password again: ");
  if (first !== again) throw new Error("the two passwords differ");
  return first;
}

export const adminCommand: CliCommand = {
  name: "admin",
  sub: "create",
  usage: "admin create --email <e-mail> [--name <name>] [--password-fd N]",
  summary: `create a platform admin; password from fd N, ${ADMIN_PASSWORD_ENV}, or a prompt (never an argument)`,
  async run(args) {
    const a = parseArgs(args);
    const password = await readPassword(a);
    requireStrongPassword(password, "password", a.email); // before the database is opened
    return withDb(async (db) => {
      try {
        const id = await createPlatformAdmin(db, { email: a.email, name: a.name, password });
        console.log(`platform admin created: ${a.email.trim().toLowerCase()} (${id}); log in with POST /v1/auth/login`);
        return 0;
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        console.error(e.code === "EMAIL_TAKEN" ? `${a.email}: this e-mail already has an account` : e.message);
        return 1;
      }
    });
  },
};
