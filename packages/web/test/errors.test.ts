/** The sentence the web app shows for an API error, with the real translations of both languages. */
import { describe, expect, it } from "vitest";
import { ERRORS } from "../../server/src/http/errors.ts";
import { ApiError } from "../src/api/errors.ts";
import { en } from "../src/i18n/en.ts";
import { zhCN } from "../src/i18n/zh-CN.ts";
import { describeError, type ErrorTexts } from "../src/lib/errors.ts";

function texts(messages: unknown): ErrorTexts {
  const lookup = (key: string): unknown =>
    key.split(".").reduce<unknown>((o, k) => (o as Record<string, unknown> | undefined)?.[k], messages);
  return {
    exists: (key) => typeof lookup(key) === "string",
    t: (key, vars) => String(lookup(key) ?? key).replace(/\{\{(\w+)\}\}/g, (_, v: string) => String(vars?.[v] ?? "")),
  };
}

describe("describeError", () => {
  const internal = new ApiError(500, "INTERNAL", "Internal error.", { errorId: "err_0123456789abcdefghij" });

  it("an internal error shows its error id, in both languages", () => {
    expect(describeError(internal, texts(en))).toBe(
      "Internal server error. Error id err_0123456789abcdefghij: quote it when you report this.",
    );
    expect(describeError(internal, texts(zhCN))).toBe("服务器内部错误。 错误编号 err_0123456789abcdefghij，反馈问题时请提供。");
    expect(describeError(new ApiError(500, "INTERNAL", "Internal error."), texts(en))).toBe("Internal server error.");
  });

  it("validation errors keep the server's detail; other known codes show the headline; unknown ones the server's message", () => {
    expect(describeError(new ApiError(400, "VALIDATION_FAILED", "lines.0.quantity: too small"), texts(en))).toBe(
      "The request is not valid. lines.0.quantity: too small",
    );
    expect(describeError(new ApiError(404, "NOT_FOUND", "No such order."), texts(zhCN))).toBe("没有找到。");
    expect(describeError(new ApiError(409, "SOMETHING_NEW", "A new thing."), texts(en))).toBe("A new thing.");
    expect(describeError(new ApiError(0, "NETWORK", ""), texts(en))).toBe("Network error: is the server running?");
    expect(describeError(new Error("plain"), texts(en))).toBe("plain");
  });
  it("a password rule shows the server's sentence in the app's language", () => {
    const weak = new ApiError(400, "VALIDATION_FAILED", "newPassword: must be at least 10 characters", {
      issues: [
        {
          path: "newPassword",
          message: "must be at least 10 characters",
          messageEn: "newPassword: must be at least 10 characters",
          messageZh: "newPassword：密码至少 10 个字符",
        },
      ],
    });
    expect(describeError(weak, { ...texts(zhCN), lang: "zh-CN" })).toBe("请求参数有误。 newPassword：密码至少 10 个字符");
    expect(describeError(weak, { ...texts(en), lang: "en" })).toBe("The request is not valid. newPassword: must be at least 10 characters");
    expect(describeError(new ApiError(403, "PASSWORD_INCORRECT", "x"), texts(zhCN))).toBe("当前密码不正确。");
  });

  it("every code of the server's error catalogue has a headline in both languages", () => {
    const missing = (messages: unknown) => Object.keys(ERRORS).filter((code) => !texts(messages).exists(`errors.${code}`));
    expect(missing(zhCN)).toEqual([]);
    expect(missing(en)).toEqual([]);
  });

  it("a plan refused for the policy or for reaching into the past shows the headline with the server's detail", () => {
    const e = new ApiError(409, "PLAN_BREAKS_POLICY", "compliancePolicy: plan version 1 (in force) breaks the wechat policy");
    expect(describeError(e, texts(zhCN))).toBe(
      "当前生效的方案不符合新的合规策略：请先发布合规的方案版本。 compliancePolicy: plan version 1 (in force) breaks the wechat policy",
    );
  });
});
