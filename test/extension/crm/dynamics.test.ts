// @vitest-environment happy-dom
/** Dynamics 365: where the account id comes from (query, hash, page data) and single-page navigation. */
import { afterEach, describe, expect, it } from "vitest";
import { dynamicsAdapter, normaliseGuid } from "../../../extension/crm/dynamics";
import { type LoadedPage, loadFixture } from "./fixture";

const APP = "https://fabrikam.crm.dynamics.com/main.aspx?appid=0d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6";
const FABRIKAM = "6f9619ff-8b86-d011-b42d-00c04fc964ff";
const PARENT = "9b2e5c1a-0f3d-4e6b-8a7c-5d4e3f2a1b0c";

let page: LoadedPage | null = null;
afterEach(async () => {
  await page?.close();
  page = null;
});

describe("normaliseGuid", () => {
  it.each([
    ["{6F9619FF-8B86-D011-B42D-00C04FC964FF}", FABRIKAM],
    ["%7B6F9619FF-8B86-D011-B42D-00C04FC964FF%7D", FABRIKAM],
    ["%257B6F9619FF-8B86-D011-B42D-00C04FC964FF%257D", FABRIKAM],
    [` ${FABRIKAM} `, FABRIKAM],
    ["6F9619FF8B86D011B42D00C04FC964FF", null],
    ["{6F9619FF-8B86-D011-B42D-00C04FC964FF", FABRIKAM],
    ["", null],
    [null, null],
  ])("%s → %s", (raw, expected) => {
    expect(normaliseGuid(raw)).toBe(expected);
  });
});

describe("account id sources", () => {
  it("id only in page data: the outer form's data-lp-id, not the parent account's quick-view form", () => {
    page = loadFixture("dynamics-account-pagedata.html", `${APP}&pagetype=entityrecord&etn=account`);
    expect(page.document.querySelector(`[data-lp-id*="${PARENT.toUpperCase()}"]`)).not.toBeNull();
    expect(dynamicsAdapter.detectRecord(page.url, page.document)).toBe(FABRIKAM);
  });

  it("the URL wins over page data", () => {
    page = loadFixture("dynamics-account-pagedata.html", `${APP}&pagetype=entityrecord&etn=account&id=${PARENT}`);
    expect(dynamicsAdapter.detectRecord(page.url, page.document)).toBe(PARENT);
  });

  it("id only in the hash (fixture DOM of the grid variant)", () => {
    page = loadFixture(
      "dynamics-account-grid.html",
      "https://contoso.crm4.dynamics.com/main.aspx?appid=7a2c1b10-5d2e-4f6a-9b3c-1d2e3f4a5b6c#pagetype=entityrecord&etn=account&id=%7B3F2504E0-4F89-11D3-9A0C-0305E82C3301%7D",
    );
    const result = dynamicsAdapter.read(page.url, page.document)!;
    expect(result.recordId).toBe("3f2504e0-4f89-11d3-9a0c-0305e82c3301");
    expect(result.contacts).toHaveLength(3);
  });

  it("entity missing from the URL: the id must be confirmed by page data naming an account", () => {
    page = loadFixture("dynamics-account-pagedata.html", `${APP}&pagetype=entityrecord&id=${FABRIKAM}`);
    expect(dynamicsAdapter.detectRecord(page.url, page.document)).toBe(FABRIKAM);
    expect(
      dynamicsAdapter.detectRecord(new URL(`${APP}&pagetype=entityrecord&id=${PARENT.replace("9b", "00")}`), page.document),
    ).toBeNull();
  });

  it("page data never turns a contact URL into an account", () => {
    page = loadFixture("dynamics-account-pagedata.html", `${APP}&pagetype=entityrecord&etn=contact`);
    expect(dynamicsAdapter.detectRecord(page.url, page.document)).toBeNull();
  });

  it("single-page navigation: account (page data) → contact record → null; → another account → its id", () => {
    page = loadFixture("dynamics-account-pagedata.html", `${APP}&pagetype=entityrecord&etn=account`);
    const { document } = page;
    expect(dynamicsAdapter.read(page.url, document)?.recordId).toBe(FABRIKAM);
    const contact = page.navigate(`${APP}&pagetype=entityrecord&etn=contact&id=5c1d7e9f-2a3b-4c5d-9e8f-7a6b5c4d3e21`);
    expect(dynamicsAdapter.read(contact, document)).toBeNull();
    const other = page.navigate(`${APP}&pagetype=entityrecord&etn=account&id={${PARENT.toUpperCase()}}`);
    expect(dynamicsAdapter.detectRecord(other, document)).toBe(PARENT);
  });
});
