/** Small shared hooks: the current language, and loading a value from the API. */
import { type DependencyList, useCallback, useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import type { Language } from "../i18n/index.ts";
import { describeError } from "../lib/errors.ts";

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

/** A localized sentence for an error from the API (see describeError). */
export function useErrorText(): (e: unknown) => string {
  const { i18n } = useTranslation();
  return (e: unknown) =>
    describeError(e, {
      t: (key, vars) => i18n.t(key as "errors.INTERNAL", vars) as string,
      exists: (key) => i18n.exists(key),
      lang: i18n.language === "en" ? "en" : "zh-CN",
    });
}
