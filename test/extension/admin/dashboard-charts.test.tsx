import { describe, expect, it } from "vitest";
import {
  bandScale,
  colourRamp,
  contrastRatio,
  HEAT_STOPS,
  linearScale,
  niceStep,
  niceTicks,
  parseHex,
  stackRuns,
  textOn,
  truncate,
} from "../../../extension/admin/screens/dashboard/chart-geometry";
import { bucketLabel } from "../../../extension/admin/screens/dashboard/DashboardScreen";

describe("chart geometry", () => {
  it("nice ticks cover the maximum with 1-2-2.5-5 steps", () => {
    expect(niceStep(100, 5)).toBe(20);
    expect(niceStep(69, 4)).toBe(20);
    expect(niceStep(7, 5)).toBe(2);
    expect(niceStep(0)).toBe(1);
    expect(niceTicks(69, 4)).toEqual([0, 20, 40, 60, 80]);
    expect(niceTicks(34, 4)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(0, 4)).toEqual([0, 1]);
    expect(niceTicks(3, 4)).toEqual([0, 1, 2, 3]);
    expect(niceTicks(1, 5, false)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    // the top tick is never below the maximum
    for (const max of [1, 9, 11, 99, 101, 246, 1234]) expect(niceTicks(max).at(-1)!).toBeGreaterThanOrEqual(max);
  });

  it("linear and band scales", () => {
    const y = linearScale(80, 200);
    expect(y(0)).toBe(0);
    expect(y(40)).toBe(100);
    expect(y(200)).toBe(200); // clamped
    expect(linearScale(0, 200)(5)).toBe(0);
    const b = bandScale(4, 400, 0.25);
    expect(b.step).toBe(100);
    expect(b.width).toBe(75);
    expect(b.start(0)).toBe(12.5);
    expect(b.centre(3)).toBe(350);
  });

  it("stacked runs add up to the length", () => {
    const runs = stackRuns([1, 0, 3], 400);
    expect(runs).toEqual([
      { start: 0, size: 100, share: 0.25 },
      { start: 100, size: 0, share: 0 },
      { start: 100, size: 300, share: 0.75 },
    ]);
    expect(stackRuns([0, 0], 100).every((r) => r.size === 0)).toBe(true);
  });

  it("colour ramp interpolates between stops and clamps; text on a cell stays readable", () => {
    expect(colourRamp(0)).toBe(HEAT_STOPS[0]);
    expect(colourRamp(1)).toBe(HEAT_STOPS.at(-1));
    expect(colourRamp(-3)).toBe(HEAT_STOPS[0]);
    expect(colourRamp(0.5, ["#000000", "#ffffff"])).toBe("#808080");
    expect(parseHex("#fff")).toEqual([255, 255, 255]);
    for (let i = 0; i <= 20; i++) {
      const bg = colourRamp(i / 20);
      expect(contrastRatio(bg, textOn(bg))).toBeGreaterThanOrEqual(4.5);
    }
    expect(textOn("#ffffff")).toBe("#000000");
    // any background at all, not only the ramp
    for (let v = 0; v < 256; v += 5) {
      const grey = `#${v.toString(16).padStart(2, "0").repeat(3)}`;
      expect(contrastRatio(grey, textOn(grey))).toBeGreaterThanOrEqual(4.5);
    }
    expect(textOn("#3730a3")).toBe("#ffffff");
  });

  it("labels", () => {
    expect(truncate("Cloud Security Suite", 10)).toBe("Cloud Sec…");
    expect(truncate("Short", 10)).toBe("Short");
    const f = (n: number) => String(n);
    expect(bucketLabel({ from: 0, to: 0 }, f)).toBe("0");
    expect(bucketLabel({ from: 1, to: 10 }, f)).toBe("1–10");
    expect(bucketLabel({ from: 251, to: null }, f)).toBe("251+");
  });
});
