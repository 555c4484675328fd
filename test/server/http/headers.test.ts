import { describe, expect, it } from "vitest";
import { acceptsGzip } from "../../../server/http/headers";

describe("Accept-Encoding: does the caller take gzip?", () => {
  it.each([
    ["gzip, deflate, br, zstd", true], // Chrome
    ["br, gzip, deflate", true], // Node's fetch
    ["GZIP", true],
    ["x-gzip", true],
    ["gzip;q=0.001", true],
    ["*", true],
    ["br, *;q=0.1", true],
    ["deflate, gzip;q=0", false],
    ["*;q=0", false],
    ["*, gzip;q=0", false], // named codings win over the wildcard
    ["identity", false],
    ["br", false],
    ["", false],
  ])("%j → %s", (header, expected) => {
    expect(acceptsGzip(header)).toBe(expected);
    expect(acceptsGzip(header)).toBe(expected); // the remembered answer is the same
  });

  it("no header means no compression", () => {
    expect(acceptsGzip(undefined)).toBe(false);
  });
});
