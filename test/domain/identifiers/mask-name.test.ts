import { describe, expect, it } from "vitest";
import { maskPersonName } from "../../../src/domain/identifiers/index.ts";

describe("maskPersonName (public pages)", () => {
  it("keeps the first and last character: 陈志强 → 陈*强, 王敏 → 王*, 欧阳娜娜 → 欧**娜, 李 → *", () => {
    expect(["陈志强", "王敏", "欧阳娜娜", "李", " 张三 "].map(maskPersonName)).toEqual([
      "陈*强",
      "王*",
      "欧**娜",
      "*",
      "张*",
    ]);
  });
});
