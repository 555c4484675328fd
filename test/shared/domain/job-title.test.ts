import { describe, expect, it } from "vitest";
import { INDUSTRY_TITLES, TITLES } from "../../../server/seed/names";
import { type Department, parseJobTitle, type Seniority } from "../../../shared/domain/job-title";

const C: Seniority = "C-Level";
const VP: Seniority = "VP";
const D: Seniority = "Director";
const M: Seniority = "Manager";
const IC: Seniority = "Individual Contributor";

describe("parseJobTitle", () => {
  // The brief's examples and their variants in the five UI languages.
  it.each<[string, Seniority | null, Department | null]>([
    ["VP Engineering", VP, "Engineering"],
    ["Chief Revenue Officer", C, "Sales"],
    ["Directeur financier", D, "Finance"],
    ["Inköpschef", D, "Procurement"],
    ["Hoofd IT", D, "IT"],
    // English
    ["CEO", C, "Executive"],
    ["CFO", C, "Finance"],
    ["CTO", C, "Engineering"],
    ["CIO", C, "IT"],
    ["COO", C, "Executive"],
    ["CMO", C, "Marketing"],
    ["CRO", C, "Sales"],
    ["CISO", C, "Security"],
    ["Founder & CEO", C, "Executive"],
    ["Owner", C, "Executive"],
    ["Chairman", C, "Executive"],
    ["Senior Vice President, Sales (EMEA)", VP, "Sales"],
    ["SVP Marketing", VP, "Marketing"],
    ["Head of Procurement", D, "Procurement"],
    ["Head of IT", D, "IT"],
    ["IT Director", D, "IT"],
    ["Division Vice President", VP, null],
    ["Purchasing Director", D, "Procurement"],
    ["Purchasing Manager", M, "Procurement"],
    ["Engineering Lead", M, "Engineering"],
    ["Team Lead, Customer Support", M, "Customer Success"],
    ["Lead Generation Specialist", IC, "Marketing"],
    ["Senior Software Engineer", IC, "Engineering"],
    ["Senior Director, Data Platform", D, "Engineering"],
    ["Senior Manager IT Operations", M, "IT"],
    ["Network Engineer", IC, "IT"],
    ["Security Engineer", IC, "Security"],
    ["Sales Engineer", IC, "Sales"],
    ["Product Owner", IC, "Product"],
    ["Product Marketing Manager", M, "Marketing"],
    ["Latex salesman", IC, "Sales"],
    ["Outside counsel", IC, "Legal"],
    ["General Counsel", C, "Legal"],
    ["Assistant to the Regional Manager", IC, null],
    ["Executive Assistant", IC, null],
    ["Regional Manager", M, null],
    ["Importer/Exporter", null, null],
    // Dutch
    ["Algemeen directeur", C, "Executive"],
    ["Financieel directeur", D, "Finance"],
    ["Hoofd inkoop", D, "Procurement"],
    ["Manager ICT", M, "IT"],
    ["Teamleider klantenservice", M, "Customer Success"],
    ["Software-ontwikkelaar", IC, "Engineering"],
    ["Inkoper", IC, "Procurement"],
    ["Bedrijfsjurist", IC, "Legal"],
    ["Eigenaar", C, "Executive"],
    // Swedish
    ["VD", C, "Executive"],
    ["Ekonomichef", D, "Finance"],
    ["IT-chef", D, "IT"],
    ["Försäljningschef", D, "Sales"],
    ["Marknadschef", D, "Marketing"],
    ["Systemutvecklare", IC, "Engineering"],
    ["Inköpare", IC, "Procurement"],
    ["Säljare", IC, "Sales"],
    ["HR-chef", D, "Human Resources"],
    ["Projektledare", M, null],
    // French
    ["Directeur général", C, "Executive"],
    ["PDG", C, "Executive"],
    ["Directrice marketing", D, "Marketing"],
    ["Responsable des achats", M, "Procurement"],
    ["Chef de projet informatique", M, "IT"],
    ["Ingénieur logiciel", IC, "Engineering"],
    ["Acheteuse", IC, "Procurement"],
    ["Juriste", IC, "Legal"],
    ["DSI", D, "IT"],
    ["Vice-président ventes", VP, "Sales"],
    // German
    ["Geschäftsführer", C, "Executive"],
    ["Einkaufsleiterin", D, "Procurement"],
    ["Leiter IT", D, "IT"],
    ["Vertriebsleiter", D, "Sales"],
    ["Teamleiter Vertrieb", M, "Sales"],
    ["Softwareentwickler", IC, "Engineering"],
    ["Einkäufer", IC, "Procurement"],
    ["Personalleiterin", D, "Human Resources"],
  ])("%s → %s, %s", (title, seniority, department) => {
    expect(parseJobTitle(title)).toEqual({ seniority, department });
  });

  it("reads every job title of the demo data as the demo data classifies it", () => {
    const wrong = TITLES.filter((t) => {
      const parsed = parseJobTitle(t.title);
      return parsed.seniority !== t.seniority || parsed.department !== t.department;
    }).map((t) => ({ title: t.title, expected: [t.seniority, t.department], got: parseJobTitle(t.title) }));
    expect(wrong).toEqual([]);
  });

  it("gets the seniority of every industry-specific demo title", () => {
    const titles = Object.values(INDUSTRY_TITLES).flat();
    expect(titles.filter((t) => parseJobTitle(t.title).seniority !== t.seniority).map((t) => t.title)).toEqual([]);
  });

  it.each([null, undefined, "", "   ", "—"])("nothing to read in %j", (title) => {
    expect(parseJobTitle(title)).toEqual({ seniority: null, department: null });
  });

  it("reads a very long title quickly and only its first 200 characters", () => {
    const parsed = parseJobTitle(`${"x".repeat(250)} CEO`);
    expect(parsed).toEqual({ seniority: null, department: null });
    expect(parseJobTitle(`Chief Financial Officer ${"&".repeat(5000)}`)).toEqual({ seniority: C, department: "Finance" });
  });
});
