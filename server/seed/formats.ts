/** Identifier and phone formats: CRM record ids as each CRM issues them, phone numbers as each country writes them. */
import type { BuiltinCrm } from "../../shared/domain/crm";
import { digits, pad, type Rng } from "./random";

/** Sequential-looking record ids in each CRM's real format (one CRM org per run). */
export class CrmIds {
  private readonly salesforcePod: string;
  private salesforce: number;
  private hubspot: number;
  private pipedrive: number;
  private zoho: number;
  private readonly used = new Set<string>();

  constructor(private readonly rng: Rng) {
    this.salesforcePod = rng.pick(["5g", "8d", "Dn", "4x", "Hp", "3t", "Ao", "6S", "7Q", "Ka"]);
    this.salesforce = rng.int(62 ** 4, 62 ** 5 / 2);
    this.hubspot = rng.int(4_000_000_000, 19_000_000_000);
    this.pipedrive = rng.int(1, 3000);
    this.zoho = rng.int(300_000, 700_000);
  }

  next(crm: BuiltinCrm): string {
    const rng = this.rng;
    switch (crm) {
      case "salesforce":
        this.salesforce += rng.int(1, 4000);
        return salesforceId(`001${this.salesforcePod}0${base62(this.salesforce, 9)}`);
      case "hubspot":
        this.hubspot += rng.int(1, 150_000);
        return String(this.hubspot);
      case "pipedrive":
        this.pipedrive += rng.int(1, 25);
        return String(this.pipedrive);
      case "zoho":
        this.zoho += rng.int(1, 60);
        return `4876876000${pad(this.zoho, 9)}`;
      case "dynamics": {
        for (;;) {
          const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[rng.int(0, 15)]).join("");
          const id = `${hex(8)}-${hex(4)}-4${hex(3)}-${"89ab"[rng.int(0, 3)]}${hex(3)}-${hex(12)}`;
          if (!this.used.has(id)) {
            this.used.add(id);
            return id;
          }
        }
      }
    }
  }
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function base62(n: number, width: number): string {
  let s = "";
  for (let v = n; v > 0; v = Math.floor(v / 62)) s = BASE62[v % 62] + s;
  return s.padStart(width, "0");
}

/** The 18-character, case-insensitive-safe form of a 15-character Salesforce id (appends the 3-character checksum). */
export function salesforceId(id15: string): string {
  let suffix = "";
  for (let chunk = 0; chunk < 3; chunk++) {
    let flags = 0;
    for (let i = 0; i < 5; i++) {
      const c = id15.charAt(chunk * 5 + i);
      if (c >= "A" && c <= "Z") flags |= 1 << i;
    }
    suffix += "ABCDEFGHIJKLMNOPQRSTUVWXYZ012345".charAt(flags);
  }
  return id15 + suffix;
}

/** Landline-style numbers in each country's format, from fictional or drama ranges where the country has one. */
export function phoneFor(country: string, rng: Rng): string {
  const d = (n: number) => digits(rng, n);
  const nz = () => String(rng.int(2, 9));
  switch (country) {
    case "GB":
      return rng.pick(["+44 20 7946 0", "+44 161 496 0", "+44 121 496 0", "+44 113 496 0"]) + d(3);
    case "CA":
      return `+1 ${rng.pick(["416", "604", "514", "403", "613"])} 555 01${d(2)}`;
    case "AU":
      return rng.chance(0.6) ? `+61 2 5550 ${d(4)}` : `+61 3 7010 ${d(4)}`;
    case "NL":
      return `+31 ${rng.pick(["20", "10", "30", "70", "40", "50"])} 555 ${d(4)}`;
    case "DE":
      return `+49 ${rng.pick(["30", "40", "89", "69", "221", "711", "211"])} ${nz()}${d(6)}`;
    case "FR":
      return `+33 ${rng.int(1, 5)} ${d(2)} ${d(2)} ${d(2)} ${d(2)}`;
    case "SE":
      return rng.chance(0.5)
        ? `+46 8 ${nz()}${d(2)} ${d(3)} ${d(2)}`
        : `+46 ${rng.pick(["31", "40", "18"])} ${nz()}${d(2)} ${d(2)} ${d(2)}`;
    case "BE":
      return `+32 ${rng.pick(["2", "3", "9"])} ${nz()}${d(2)} ${d(2)} ${d(2)}`;
    case "DK":
    case "NO":
      return `+${country === "DK" ? "45" : "47"} ${nz()}${d(1)} ${d(2)} ${d(2)} ${d(2)}`;
    case "FI":
      return `+358 9 ${nz()}${d(2)} ${d(4)}`;
    case "ES":
      return `+34 ${rng.pick(["91", "93", "96"])} ${nz()}${d(2)} ${d(2)} ${d(2)}`;
    case "IT":
      return `+39 ${rng.pick(["02", "06", "011"])} ${nz()}${d(3)} ${d(4)}`;
    default:
      return `+1 ${rng.pick(["212", "415", "312", "617", "206", "512", "303", "404"])} 555 01${d(2)}`;
  }
}
