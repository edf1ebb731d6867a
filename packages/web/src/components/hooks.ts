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

/** A localized sentence for an error from the API. */
export function useErrorText(): (e: unknown) => string {
  const { t, i18n } = useTranslation();
  return (e: unknown) => {
    if (!(e instanceof ApiError)) return e instanceof Error ? e.message : t("common.unknownError");
    if (e.code === "NETWORK") return t("errors.network");
    const key = `errors.${e.code}`;
    if (!i18n.exists(key)) return e.message || t("common.unknownError");
    const headline = i18n.t(key as "errors.INTERNAL");
    return DETAILED_CODES.has(e.code) && e.message ? `${headline} ${e.message}` : headline;
  };
}
