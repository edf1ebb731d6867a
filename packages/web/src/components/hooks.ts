/** Small shared hooks: the current language, and loading a value from the API. */
import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client.ts";
import type { Language } from "../i18n/index.ts";

export function useLang(): Language {
  const { i18n } = useTranslation();
  return i18n.language === "en" ? "en" : "zh-CN";
}

export interface Async<T> {
  data: T | undefined;
  error: unknown;
  loading: boolean;
  reload: () => void;
}

/** Runs `load` when deps change; the latest call wins. */
export function useAsync<T>(load: () => Promise<T>, deps: DependencyList): Async<T> {
  const [state, setState] = useState<{ data: T | undefined; error: unknown; loading: boolean }>({
    data: undefined,
    error: undefined,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const seq = useRef(0);
  // biome-ignore lint/correctness/useExhaustiveDependencies: callers pass the deps of `load`
  useEffect(() => {
    const my = ++seq.current;
    setState((s) => ({ ...s, loading: true, error: undefined }));
    load().then(
      (data) => {
        if (my === seq.current) setState({ data, error: undefined, loading: false });
      },
      (error: unknown) => {
        if (my === seq.current) setState({ data: undefined, error, loading: false });
      },
    );
  }, [...deps, tick]);
  const reload = useCallback(() => setTick((x) => x + 1), []);
  return { ...state, reload };
}

/** Codes whose server message carries a useful detail (the field, the rule) worth showing after the translated headline. */
const DETAILED_CODES = new Set(["VALIDATION_FAILED", "PLAN_INVALID", "PLAN_LINT_FAILED"]);

/** Translation as describeError needs it (i18next's `t` and `exists`, or a stand-in in tests). */
export interface ErrorTexts {
  t(key: string, vars?: Record<string, unknown>): string;
  exists(key: string): boolean;
}

/**
 * A localized sentence for an error from the API: the translated headline of its code, then the server's detail for
 * codes that carry one, or the error id of an internal error (which the server's log line carries too).
 */
export function describeError(e: unknown, x: ErrorTexts): string {
  if (!(e instanceof ApiError)) return e instanceof Error ? e.message : x.t("common.unknownError");
  if (e.code === "NETWORK") return x.t("errors.network");
  const key = `errors.${e.code}`;
  if (!x.exists(key)) return e.message || x.t("common.unknownError");
  const headline = x.t(key);
  if (DETAILED_CODES.has(e.code) && e.message) return `${headline} ${e.message}`;
  const id = e.details.errorId;
  if (e.code === "INTERNAL" && typeof id === "string") return `${headline} ${x.t("errors.errorId", { id })}`;
  return headline;
}

/** A localized sentence for an error from the API (see describeError). */
export function useErrorText(): (e: unknown) => string {
  const { i18n } = useTranslation();
  return (e: unknown) =>
    describeError(e, {
      t: (key, vars) => i18n.t(key as "errors.INTERNAL", vars) as string,
      exists: (key) => i18n.exists(key),
    });
}
