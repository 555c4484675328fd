/**
 * Word lists for the seed generator: company names, people names, cities, job titles and the
 * seller's products. Pure data; the generator in ./generate decides how they combine.
 */

export const INDUSTRIES = [
  { name: "Software", weight: 18 },
  { name: "Manufacturing", weight: 14 },
  { name: "Financial Services", weight: 13 },
  { name: "Healthcare", weight: 11 },
  { name: "Retail", weight: 10 },
  { name: "Logistics", weight: 9 },
  { name: "Energy", weight: 7 },
  { name: "Education", weight: 7 },
  { name: "Telecommunications", weight: 6 },
  { name: "Public Sector", weight: 5 },
] as const;

export const COUNTRIES = [
  { code: "US", weight: 24, tld: "com", locale: "en", currency: "USD" },
  { code: "GB", weight: 12, tld: "co.uk", locale: "en", currency: "GBP" },
  { code: "DE", weight: 11, tld: "de", locale: "de", currency: "EUR" },
  { code: "NL", weight: 9, tld: "nl", locale: "nl", currency: "EUR" },
  { code: "FR", weight: 8, tld: "fr", locale: "fr", currency: "EUR" },
  { code: "SE", weight: 6, tld: "se", locale: "sv", currency: "SEK" },
  { code: "ES", weight: 5, tld: "es", locale: "es", currency: "EUR" },
  { code: "IT", weight: 5, tld: "it", locale: "it", currency: "EUR" },
  { code: "BE", weight: 4, tld: "be", locale: "be", currency: "EUR" },
  { code: "DK", weight: 4, tld: "dk", locale: "da", currency: "DKK" },
  { code: "CA", weight: 4, tld: "ca", locale: "en", currency: "CAD" },
  { code: "AU", weight: 4, tld: "com.au", locale: "en", currency: "AUD" },
  { code: "NO", weight: 3, tld: "no", locale: "no", currency: "NOK" },
  { code: "FI", weight: 3, tld: "fi", locale: "fi", currency: "EUR" },
] as const;

/** Legal-form suffixes a company name may carry, by country. */
export const LEGAL_SUFFIXES: Record<string, readonly string[]> = {
  US: ["Inc.", "Corp.", "LLC"],
  GB: ["Ltd", "plc"],
  DE: ["GmbH", "AG", "GmbH & Co. KG"],
  NL: ["B.V.", "N.V."],
  FR: ["SA", "SAS"],
  SE: ["AB"],
  ES: ["S.A.", "S.L."],
  IT: ["S.p.A.", "S.r.l."],
  BE: ["NV", "SA", "BV"],
  DK: ["A/S", "ApS"],
  CA: ["Inc.", "Ltd."],
  AU: ["Pty Ltd", "Ltd"],
  NO: ["AS", "ASA"],
  FI: ["Oy", "Oyj"],
};

/** How a subsidiary in a country is usually named: "Helix Biosystems Deutschland GmbH". */
export const SUBSIDIARY_REGIONS: Record<string, readonly string[]> = {
  US: ["USA", "Americas", "North America"],
  GB: ["UK", "Europe"],
  DE: ["Deutschland", "DACH"],
  NL: ["Nederland", "Benelux"],
  FR: ["France"],
  SE: ["Sverige", "Nordic"],
  ES: ["España", "Iberia"],
  IT: ["Italia"],
  BE: ["Belgium", "Benelux"],
  DK: ["Danmark", "Nordic"],
  CA: ["Canada"],
  AU: ["Australia", "APAC"],
  NO: ["Norge"],
  FI: ["Finland", "Suomi"],
};

// biome-ignore format: word list, one line per group
export const NAME_PREFIXES = [
  "Northwind", "Helix", "Bluewater", "Silverline", "Crestview", "Ironbridge", "Aurora", "Polaris", "Vantage", "Summit",
  "Meridian", "Lumen", "Nimbus", "Quantum", "Vertex", "Cobalt", "Atlas", "Beacon", "Cascade", "Evergreen", "Falcon",
  "Granite", "Harbor", "Horizon", "Juniper", "Keystone", "Lighthouse", "Maple", "Oakridge", "Pinnacle", "Redwood",
  "Sapphire", "Sterling", "Tidewater", "Trident", "Unity", "Vista", "Westfield", "Zenith", "Alder", "Amber", "Apex",
  "Arbor", "Argon", "Ascent", "Aspen", "Avalon", "Bastion", "Birch", "Boreal", "Brightwater", "Cardinal", "Cedar",
  "Centric", "Citadel", "Clearwater", "Compass", "Condor", "Coral", "Corvus", "Crescent", "Cypress", "Delta", "Eastgate",
  "Echo", "Elm", "Ember", "Equinox", "Everest", "Fjord", "Foxglove", "Frontier", "Gallium", "Glacier", "Halcyon",
  "Hawthorne", "Heron", "Highland", "Indigo", "Iris", "Jasper", "Kestrel", "Lakeside", "Larkspur", "Linden", "Lodestar",
  "Magnolia", "Marlin", "Mistral", "Monarch", "Nautilus", "Nova", "Obsidian", "Onyx", "Orion", "Osprey", "Pacifica",
  "Paragon", "Pelican", "Peregrine", "Pioneer", "Prism", "Quartz", "Radiant", "Raven", "Ridgeline", "Riverbend",
  "Sable", "Sagebrush", "Seabright", "Sentinel", "Sequoia", "Shoreline", "Sierra", "Solstice", "Sparrow", "Spruce",
  "Stonebridge", "Stratus", "Tamarack", "Tern", "Thornbury", "Topaz", "Tundra", "Valiant", "Verdant", "Wavecrest",
  "Willow", "Windward", "Wren", "Yarrow", "Zephyr",
] as const;

/** Compound prefixes ("Bluepeak", "Ironforge") extend the name space. */
// biome-ignore format: word list, one line per group
export const PREFIX_ROOTS = [
  "Blue", "Silver", "North", "Iron", "Red", "Green", "Bright", "Clear", "Deep", "High", "Star", "Sun", "True", "Swift",
  "Stone", "Gold", "West", "East", "Oak", "Frost",
] as const;
// biome-ignore format: word list, one line per group
export const PREFIX_TAILS = [
  "peak", "field", "bridge", "wave", "gate", "point", "line", "path", "works", "forge", "mark", "view", "core", "spring",
  "haven", "ridge", "stream", "vale", "crest", "moor",
] as const;

// biome-ignore format: word list, one line per group
export const NAME_QUALIFIERS = [
  "Global", "Digital", "International", "Advanced", "United", "Integrated", "Applied", "Modern", "Atlantic", "Continental",
  "European", "Premier", "Strategic", "Dynamic", "Next", "Prime", "Nordic", "Pacific", "Smart", "Allied",
] as const;

// biome-ignore format: word list, one line per group
export const INDUSTRY_NOUNS: Record<string, readonly string[]> = {
  Software: ["Software", "Systems", "Technologies", "Labs", "Analytics", "Cloud", "Data", "Solutions", "Security", "AI", "Apps"],
  Manufacturing: [
    "Manufacturing", "Industries", "Engineering", "Components", "Machinery", "Precision", "Fabrication", "Materials",
    "Robotics", "Metalworks", "Plastics", "Automation",
  ],
  "Financial Services": [
    "Capital", "Financial", "Bank", "Partners", "Asset Management", "Insurance", "Investments", "Payments", "Credit",
    "Wealth", "Securities", "Finance",
  ],
  Healthcare: [
    "Health", "Biosystems", "Medical", "Pharma", "Therapeutics", "Diagnostics", "Clinics", "Care", "Life Sciences",
    "Biotech", "Healthcare", "MedTech",
  ],
  Retail: ["Retail", "Stores", "Brands", "Outfitters", "Market", "Goods", "Commerce", "Apparel", "Home", "Foods", "Trading"],
  Logistics: [
    "Logistics", "Freight", "Shipping", "Transport", "Cargo", "Express", "Distribution", "Supply Chain", "Forwarding",
    "Fleet", "Mobility", "Terminals",
  ],
  Energy: [
    "Energy", "Power", "Renewables", "Solar", "Wind", "Utilities", "Grid", "Oil & Gas", "Hydrogen", "Resources", "Electric",
  ],
  Education: ["Academy", "Learning", "Education", "EdTech", "Training", "Campus", "Tutoring", "Knowledge"],
  Telecommunications: [
    "Telecom", "Communications", "Networks", "Mobile", "Connect", "Fiber", "Wireless", "Broadband", "Cable", "Satellite",
  ],
};

// biome-ignore format: word list, one line per group
export const PUBLIC_AGENCIES = [
  "City Council", "Water Authority", "Port Authority", "Regional Health Authority", "Transport Authority",
  "Housing Authority", "Police Department", "Tax Office", "Public Library", "Fire Department", "Department of Education",
  "Environmental Agency", "Land Registry", "Employment Agency", "Municipal Utilities", "Statistics Office",
  "Emergency Services", "Parks Department", "Planning Office", "Social Services",
] as const;

/** `{city}` is replaced by a city of the account's country. */
// biome-ignore format: word list, one line per group
export const EDUCATION_INSTITUTIONS = [
  "University of {city}", "{city} Institute of Technology", "{city} Business School", "{city} College",
  "{city} School of Economics", "{city} Polytechnic", "{city} Community College", "{city} School of Design",
] as const;

// biome-ignore format: word list, one line per group
export const CITIES: Record<string, readonly string[]> = {
  US: [
    "New York", "Los Angeles", "Chicago", "Houston", "Phoenix", "Philadelphia", "San Antonio", "San Diego", "Dallas",
    "Austin", "Seattle", "Denver", "Boston", "Portland", "Atlanta", "Miami", "Minneapolis", "Detroit", "Nashville",
    "Baltimore", "Milwaukee", "Sacramento", "Kansas City", "Raleigh", "Omaha", "Cleveland", "Tampa", "Pittsburgh",
    "Cincinnati", "Salt Lake City",
  ],
  GB: [
    "London", "Manchester", "Birmingham", "Leeds", "Glasgow", "Edinburgh", "Bristol", "Liverpool", "Sheffield", "Cardiff",
    "Belfast", "Nottingham", "Leicester", "Newcastle", "Southampton",
  ],
  DE: [
    "Berlin", "Hamburg", "Munich", "Cologne", "Frankfurt", "Stuttgart", "Düsseldorf", "Leipzig", "Dortmund", "Essen",
    "Bremen", "Dresden", "Hanover", "Nuremberg",
  ],
  NL: [
    "Amsterdam", "Rotterdam", "Utrecht", "The Hague", "Eindhoven", "Groningen", "Tilburg", "Almere", "Breda", "Nijmegen",
    "Arnhem", "Haarlem", "Maastricht", "Leiden", "Zwolle",
  ],
  FR: [
    "Paris", "Lyon", "Marseille", "Toulouse", "Nice", "Nantes", "Strasbourg", "Montpellier", "Bordeaux", "Lille", "Rennes",
    "Reims", "Grenoble", "Dijon",
  ],
  SE: ["Stockholm", "Gothenburg", "Malmö", "Uppsala", "Västerås", "Örebro", "Linköping", "Helsingborg", "Jönköping", "Umeå"],
  ES: ["Madrid", "Barcelona", "Valencia", "Seville", "Zaragoza", "Málaga", "Bilbao", "Alicante", "Valladolid", "Granada"],
  IT: ["Rome", "Milan", "Naples", "Turin", "Palermo", "Genoa", "Bologna", "Florence", "Bari", "Venice", "Verona"],
  BE: ["Brussels", "Antwerp", "Ghent", "Charleroi", "Liège", "Bruges", "Leuven", "Namur", "Mechelen", "Hasselt"],
  DK: ["Copenhagen", "Aarhus", "Odense", "Aalborg", "Esbjerg", "Randers", "Kolding", "Vejle"],
  CA: ["Toronto", "Montreal", "Vancouver", "Calgary", "Edmonton", "Ottawa", "Winnipeg", "Quebec City", "Hamilton", "Halifax"],
  AU: ["Sydney", "Melbourne", "Brisbane", "Perth", "Adelaide", "Canberra", "Hobart", "Darwin", "Gold Coast", "Geelong"],
  NO: ["Oslo", "Bergen", "Trondheim", "Stavanger", "Drammen", "Kristiansand", "Tromsø", "Bodø"],
  FI: ["Helsinki", "Espoo", "Tampere", "Vantaa", "Oulu", "Turku", "Jyväskylä", "Lahti", "Kuopio"],
};

export interface Locale {
  first: readonly string[];
  last: readonly string[];
}

// biome-ignore format: word list, one line per group
export const LOCALES: Record<string, Locale> = {
  en: {
    first: [
      "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "David", "Elizabeth", "William",
      "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah", "Christopher", "Karen", "Daniel", "Emily",
      "Matthew", "Laura", "Andrew", "Rachel", "Joshua", "Megan", "Ryan", "Hannah", "Oliver", "Charlotte", "Harry", "Sophie",
      "George", "Emma", "Jack", "Olivia", "Liam", "Chloe", "Priya", "Raj", "Wei", "Mei", "Carlos", "Aisha", "Omar", "Grace",
    ],
    last: [
      "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson", "Taylor", "Thomas", "Moore",
      "Martin", "Jackson", "Thompson", "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
      "Wright", "Scott", "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter", "Phillips",
      "Evans", "Turner", "Parker", "Collins", "Edwards", "Stewart", "Morris", "Murphy", "Cook", "Rogers", "Patel", "Nguyen",
      "Kim", "Chen", "O'Brien", "Hughes", "Wood", "Bennett",
    ],
  },
  nl: {
    first: [
      "Anna", "Sanne", "Lotte", "Femke", "Eva", "Iris", "Lisa", "Sophie", "Emma", "Fleur", "Noor", "Anouk", "Marieke",
      "Ingrid", "Daan", "Lars", "Thijs", "Bram", "Ruben", "Sem", "Jesse", "Bas", "Joost", "Pieter", "Jeroen", "Maarten",
      "Wouter", "Sander", "Niels", "Koen", "Stijn", "Tim", "Mark", "Erik", "Hans",
    ],
    last: [
      "de Vries", "Jansen", "de Jong", "van den Berg", "van Dijk", "Bakker", "Visser", "Smit", "Meijer", "de Boer", "Mulder",
      "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker", "Brouwer", "de Wit", "Dijkstra", "Smits",
      "de Graaf", "van der Meer", "van der Linden", "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen",
      "van den Broek", "de Bruijn", "Schouten",
    ],
  },
  be: {
    first: [
      "Lotte", "Elise", "Marie", "Julie", "Laura", "Sarah", "Charlotte", "Louise", "Emma", "Amélie", "Nathalie", "An", "Els",
      "Sofie", "Wim", "Koen", "Bart", "Pieter", "Thomas", "Arnaud", "Maxime", "Nicolas", "Olivier", "Jens", "Stijn", "Tom",
      "Dries", "Jonas", "Luc",
    ],
    last: [
      "Peeters", "Janssens", "Maes", "Jacobs", "Mertens", "Willems", "Claes", "Goossens", "Wouters", "De Smet", "Dubois",
      "Lambert", "Dupont", "Hermans", "Aerts", "Vermeulen", "Michiels", "Van Damme", "De Clercq", "Leclercq", "Pauwels",
      "Van den Bossche", "Lemaire", "Renard",
    ],
  },
  fr: {
    first: [
      "Camille", "Léa", "Manon", "Chloé", "Inès", "Julie", "Claire", "Sophie", "Élodie", "Mathilde", "Pauline", "Margaux",
      "Lucas", "Hugo", "Louis", "Théo", "Nicolas", "Julien", "Antoine", "Thomas", "Maxime", "Pierre", "Alexandre",
      "Guillaume", "Romain", "François", "Olivier", "Sébastien", "Mathieu", "Vincent",
    ],
    last: [
      "Martin", "Bernard", "Dubois", "Thomas", "Robert", "Richard", "Petit", "Durand", "Leroy", "Moreau", "Simon", "Laurent",
      "Lefebvre", "Michel", "David", "Bertrand", "Roux", "Vincent", "Fournier", "Morel", "Girard", "André", "Lefèvre",
      "Mercier", "Dupont", "Lambert", "Bonnet", "Legrand", "Garnier", "Faure", "Rousseau", "Blanc", "Guérin", "Chevalier",
      "Gauthier",
    ],
  },
  de: {
    first: [
      "Anna", "Lena", "Laura", "Julia", "Sarah", "Lea", "Katharina", "Sophie", "Hannah", "Johanna", "Sabine", "Petra",
      "Claudia", "Katrin", "Lukas", "Jonas", "Leon", "Finn", "Felix", "Maximilian", "Paul", "Jan", "Tobias", "Florian",
      "Sebastian", "Stefan", "Michael", "Thomas", "Andreas", "Markus", "Matthias", "Jürgen", "Uwe", "Dirk",
    ],
    last: [
      "Müller", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Schulz", "Hoffmann", "Schäfer",
      "Koch", "Bauer", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun", "Krüger",
      "Hofmann", "Hartmann", "Lange", "Schmitt", "Werner", "Schmitz", "Krause", "Meier", "Lehmann", "Schmid", "Schulze",
      "Maier", "Köhler", "Herrmann", "König", "Walter", "Mayer", "Huber", "Kaiser", "Fuchs", "Lang", "Scholz",
    ],
  },
  sv: {
    first: [
      "Anna", "Eva", "Maria", "Karin", "Sara", "Emma", "Elin", "Ida", "Johanna", "Linnea", "Maja", "Frida", "Ebba", "Astrid",
      "Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Nils", "Mikael", "Oskar", "Gustav", "Axel", "Viktor", "Henrik",
      "Magnus", "Fredrik", "Björn", "Linus",
    ],
    last: [
      "Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson", "Svensson", "Gustafsson",
      "Pettersson", "Jonsson", "Jansson", "Hansson", "Bengtsson", "Jönsson", "Lindberg", "Jakobsson", "Magnusson",
      "Lindström", "Olofsson", "Lindqvist", "Lindgren", "Berg", "Axelsson", "Bergström", "Lundberg", "Lundgren",
      "Lundqvist", "Mattsson", "Berglund", "Fredriksson", "Sandberg", "Henriksson", "Forsberg", "Sjöberg", "Wallin",
      "Engström", "Eklund", "Danielsson", "Håkansson", "Holm",
    ],
  },
  da: {
    first: [
      "Mette", "Anne", "Kirsten", "Hanne", "Camilla", "Louise", "Ida", "Freja", "Sofie", "Julie", "Line", "Mathilde", "Søren",
      "Jens", "Peter", "Lars", "Michael", "Henrik", "Thomas", "Rasmus", "Mads", "Jesper", "Anders", "Kasper", "Mikkel",
      "Frederik", "Christian", "Niels", "Morten", "Lasse",
    ],
    last: [
      "Nielsen", "Jensen", "Hansen", "Pedersen", "Andersen", "Christensen", "Larsen", "Sørensen", "Rasmussen", "Jørgensen",
      "Petersen", "Madsen", "Kristensen", "Olsen", "Thomsen", "Christiansen", "Poulsen", "Johansen", "Møller", "Mortensen",
      "Knudsen", "Jakobsen", "Mikkelsen", "Olesen", "Frederiksen", "Laursen", "Henriksen", "Lund", "Kjær", "Dahl", "Bach",
      "Lauridsen", "Clausen", "Vestergaard",
    ],
  },
  no: {
    first: [
      "Ingrid", "Kari", "Marit", "Hilde", "Silje", "Ingeborg", "Nora", "Emma", "Sofie", "Thea", "Maren", "Ole", "Lars", "Knut",
      "Per", "Jan", "Bjørn", "Arne", "Magnus", "Henrik", "Sindre", "Eirik", "Håkon", "Sigurd", "Jonas", "Martin", "Anders",
      "Kristian", "Espen", "Tor", "Øystein",
    ],
    last: [
      "Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Kristiansen", "Jensen", "Karlsen",
      "Johnsen", "Pettersen", "Eriksen", "Berg", "Haugen", "Hagen", "Johannessen", "Andreassen", "Jacobsen", "Dahl",
      "Halvorsen", "Henriksen", "Lund", "Moen", "Gundersen", "Iversen", "Strand", "Solberg", "Svendsen", "Eide", "Knutsen",
      "Martinsen", "Paulsen", "Bakken", "Mathisen", "Lie",
    ],
  },
  fi: {
    first: [
      "Aino", "Anna", "Emilia", "Helmi", "Sofia", "Aada", "Laura", "Johanna", "Maria", "Sanna", "Tiina", "Katja", "Päivi",
      "Minna", "Mikko", "Juha", "Timo", "Matti", "Jari", "Antti", "Jukka", "Ville", "Janne", "Tuomas", "Eero", "Lauri",
      "Oskari", "Onni", "Väinö", "Sami",
    ],
    last: [
      "Korhonen", "Virtanen", "Mäkinen", "Nieminen", "Mäkelä", "Hämäläinen", "Laine", "Heikkinen", "Koskinen", "Järvinen",
      "Lehtonen", "Lehtinen", "Saarinen", "Salminen", "Heinonen", "Niemi", "Heikkilä", "Kinnunen", "Salonen", "Turunen",
      "Salo", "Laitinen", "Tuominen", "Rantanen", "Karjalainen", "Jokinen", "Mattila", "Savolainen", "Lahtinen", "Ahonen",
    ],
  },
  es: {
    first: [
      "María", "Lucía", "Carmen", "Laura", "Marta", "Paula", "Elena", "Sara", "Ana", "Cristina", "Isabel", "Alba", "Sofía",
      "Javier", "Alejandro", "Pablo", "Daniel", "David", "Carlos", "Manuel", "Jorge", "Sergio", "Álvaro", "Adrián", "Diego",
      "Miguel", "Raúl", "Iván", "Rubén", "Fernando",
    ],
    last: [
      "García", "Rodríguez", "González", "Fernández", "López", "Martínez", "Sánchez", "Pérez", "Gómez", "Martín", "Jiménez",
      "Ruiz", "Hernández", "Díaz", "Moreno", "Muñoz", "Álvarez", "Romero", "Alonso", "Gutiérrez", "Navarro", "Torres",
      "Domínguez", "Vázquez", "Ramos", "Gil", "Ramírez", "Serrano", "Blanco", "Molina", "Morales", "Suárez", "Ortega",
      "Delgado", "Castro", "Ortiz", "Rubio", "Marín", "Sanz", "Iglesias",
    ],
  },
  it: {
    first: [
      "Giulia", "Francesca", "Chiara", "Sara", "Martina", "Valentina", "Alessia", "Elena", "Federica", "Silvia", "Paola",
      "Laura", "Sofia", "Marco", "Luca", "Alessandro", "Andrea", "Matteo", "Lorenzo", "Davide", "Simone", "Francesco",
      "Giuseppe", "Stefano", "Roberto", "Paolo", "Giovanni", "Riccardo", "Fabio", "Nicola",
    ],
    last: [
      "Rossi", "Russo", "Ferrari", "Esposito", "Bianchi", "Romano", "Colombo", "Ricci", "Marino", "Greco", "Bruno", "Gallo",
      "Conti", "De Luca", "Mancini", "Costa", "Giordano", "Rizzo", "Lombardi", "Moretti", "Barbieri", "Fontana", "Santoro",
      "Mariani", "Rinaldi", "Caruso", "Ferrara", "Galli", "Martini", "Leone", "Longo", "Gentile", "Martinelli", "Vitale",
      "Lombardo", "Serra", "Coppola", "De Santis", "D'Angelo", "Marchetti",
    ],
  },
};

export type Seniority = "C-Level" | "VP" | "Director" | "Manager" | "Individual Contributor";

export interface TitleEntry {
  title: string;
  department: string;
  seniority: Seniority;
  weight: number;
  /** Roles an account has at most one of ("cfo" covers both "Chief Financial Officer" and "CFO"). */
  unique?: string;
}

const t = (title: string, department: string, seniority: Seniority, weight: number, unique?: string): TitleEntry =>
  unique === undefined ? { title, department, seniority, weight } : { title, department, seniority, weight, unique };

const C = "C-Level";
const VP = "VP";
const D = "Director";
const M = "Manager";
const IC = "Individual Contributor";

/** Job titles every industry has; weights make individual contributors and managers the bulk. */
export const TITLES: readonly TitleEntry[] = [
  t("Chief Executive Officer", "Executive", C, 0.6, "ceo"),
  t("CEO", "Executive", C, 0.3, "ceo"),
  t("Managing Director", "Executive", C, 0.3, "ceo"),
  t("Chief Operating Officer", "Executive", C, 0.5, "coo"),
  t("Chief Financial Officer", "Finance", C, 0.5, "cfo"),
  t("CFO", "Finance", C, 0.4, "cfo"),
  t("VP of Finance", "Finance", VP, 1),
  t("Director of Finance", "Finance", D, 1.2),
  t("Financial Controller", "Finance", M, 1.5),
  t("Finance Manager", "Finance", M, 1.5),
  t("Financial Analyst", "Finance", IC, 2),
  t("Senior Accountant", "Finance", IC, 1.5),
  t("Chief Information Officer", "IT", C, 0.6, "cio"),
  t("CIO", "IT", C, 0.3, "cio"),
  t("VP of IT", "IT", VP, 1),
  t("VP of Information Technology", "IT", VP, 0.6),
  t("Director of IT", "IT", D, 1.5),
  t("IT Director", "IT", D, 1),
  t("Head of IT", "IT", D, 1),
  t("IT Manager", "IT", M, 3),
  t("Infrastructure Manager", "IT", M, 1.5),
  t("IT Operations Manager", "IT", M, 1.5),
  t("Systems Administrator", "IT", IC, 3),
  t("Network Engineer", "IT", IC, 2),
  t("IT Support Specialist", "IT", IC, 2),
  t("Cloud Architect", "IT", IC, 1.5),
  t("Enterprise Architect", "IT", IC, 1.2),
  t("Chief Technology Officer", "Engineering", C, 0.6, "cto"),
  t("CTO", "Engineering", C, 0.3, "cto"),
  t("VP of Engineering", "Engineering", VP, 1.2),
  t("Director of Engineering", "Engineering", D, 1.5),
  t("Head of Engineering", "Engineering", D, 1),
  t("Engineering Manager", "Engineering", M, 3),
  t("Senior Software Engineer", "Engineering", IC, 4),
  t("Software Engineer", "Engineering", IC, 4),
  t("Staff Engineer", "Engineering", IC, 1.5),
  t("DevOps Engineer", "Engineering", IC, 2),
  t("Data Engineer", "Engineering", IC, 2),
  t("QA Engineer", "Engineering", IC, 1.5),
  t("Chief Information Security Officer", "Security", C, 0.5, "ciso"),
  t("CISO", "Security", C, 0.3, "ciso"),
  t("VP of Security", "Security", VP, 0.6),
  t("Head of Security", "Security", D, 1),
  t("Director of Security", "Security", D, 0.8),
  t("Security Operations Manager", "Security", M, 1.2),
  t("Security Engineer", "Security", IC, 2),
  t("Security Analyst", "Security", IC, 2),
  t("Chief Marketing Officer", "Marketing", C, 0.5, "cmo"),
  t("CMO", "Marketing", C, 0.2, "cmo"),
  t("VP of Marketing", "Marketing", VP, 1),
  t("Director of Marketing", "Marketing", D, 1.2),
  t("Head of Demand Generation", "Marketing", D, 0.8),
  t("Marketing Operations Manager", "Marketing", M, 1.5),
  t("Marketing Manager", "Marketing", M, 2),
  t("Product Marketing Manager", "Marketing", M, 1.5),
  t("Digital Marketing Specialist", "Marketing", IC, 2),
  t("Marketing Analyst", "Marketing", IC, 1.5),
  t("Chief Revenue Officer", "Sales", C, 0.4, "cro"),
  t("VP of Sales", "Sales", VP, 1),
  t("Sales Director", "Sales", D, 1.2),
  t("Head of Sales", "Sales", D, 0.8),
  t("Sales Manager", "Sales", M, 2),
  t("Sales Operations Manager", "Sales", M, 1.2),
  t("Account Executive", "Sales", IC, 2.5),
  t("Sales Development Representative", "Sales", IC, 2),
  t("Sales Engineer", "Sales", IC, 1.5),
  t("General Counsel", "Legal", C, 0.5, "clo"),
  t("Chief Legal Officer", "Legal", C, 0.2, "clo"),
  t("VP of Legal", "Legal", VP, 0.4),
  t("Head of Legal", "Legal", D, 0.6),
  t("Director of Legal Affairs", "Legal", D, 0.4),
  t("Contracts Manager", "Legal", M, 1),
  t("Legal Counsel", "Legal", IC, 1.2),
  t("Corporate Counsel", "Legal", IC, 0.8),
  t("Paralegal", "Legal", IC, 0.8),
  t("Chief Procurement Officer", "Procurement", C, 0.3, "cpo"),
  t("VP of Procurement", "Procurement", VP, 0.5),
  t("Director of Procurement", "Procurement", D, 0.8),
  t("Head of Procurement", "Procurement", D, 0.8),
  t("Procurement Manager", "Procurement", M, 2),
  t("Category Manager", "Procurement", M, 1.2),
  t("Vendor Manager", "Procurement", M, 1),
  t("Buyer", "Procurement", IC, 1.2),
  t("Procurement Specialist", "Procurement", IC, 1.2),
  t("Sourcing Analyst", "Procurement", IC, 0.8),
  t("VP of Operations", "Operations", VP, 0.8),
  t("Director of Operations", "Operations", D, 1),
  t("Operations Manager", "Operations", M, 2),
  t("Business Operations Manager", "Operations", M, 1),
  t("Operations Analyst", "Operations", IC, 1.5),
  t("Business Analyst", "Operations", IC, 2),
];

/** A few titles only some industries have. */
export const INDUSTRY_TITLES: Record<string, readonly TitleEntry[]> = {
  Healthcare: [t("Chief Medical Information Officer", "IT", C, 0.4, "cmio"), t("Clinical Systems Manager", "IT", M, 1.5)],
  Manufacturing: [t("Plant Manager", "Operations", M, 2), t("VP of Supply Chain", "Operations", VP, 0.8)],
  "Financial Services": [t("Chief Risk Officer", "Finance", C, 0.4, "cro-risk"), t("Compliance Manager", "Legal", M, 1.5)],
  Retail: [t("Head of E-commerce", "Sales", D, 1), t("Store Operations Manager", "Operations", M, 1.5)],
  Logistics: [t("Fleet Manager", "Operations", M, 2), t("Head of Supply Chain", "Operations", D, 1)],
  Energy: [t("Head of Grid Operations", "Operations", D, 0.8), t("Asset Manager", "Operations", M, 1)],
  Education: [t("Director of Academic Technology", "IT", D, 1), t("Learning Systems Administrator", "IT", IC, 1.5)],
  Telecommunications: [t("Network Operations Manager", "Engineering", M, 1.5), t("RF Engineer", "Engineering", IC, 1.5)],
  "Public Sector": [t("Chief Digital Officer", "IT", C, 0.4, "cdo"), t("Digital Services Manager", "IT", M, 1.5)],
};

/** What the seller sells: activity metadata mentions these, so solution interests can match them. */
export interface SeedProduct {
  name: string;
  path: string;
  keywords: readonly string[];
}

export const SEED_PRODUCTS: readonly SeedProduct[] = [
  { name: "Data Platform", path: "data-platform", keywords: ["data warehouse", "etl", "data governance", "lakehouse"] },
  { name: "Security Suite", path: "security-suite", keywords: ["zero trust", "siem", "endpoint security", "compliance"] },
  { name: "Analytics Cloud", path: "analytics-cloud", keywords: ["dashboards", "bi", "self-service analytics", "forecasting"] },
  { name: "Integration Hub", path: "integration-hub", keywords: ["api management", "ipaas", "integration", "webhooks"] },
  { name: "Identity Manager", path: "identity-manager", keywords: ["sso", "identity", "mfa", "access management"] },
  { name: "Procurement Cloud", path: "procurement-cloud", keywords: ["e-procurement", "spend analysis", "supplier portal"] },
  { name: "Contract Manager", path: "contract-manager", keywords: ["contract lifecycle", "e-signature", "clm"] },
  { name: "Observability", path: "observability", keywords: ["monitoring", "apm", "logging", "tracing"] },
];

/** Pages of the seller's site that are not about one product. */
// biome-ignore format: word list, one line per group
export const GENERIC_PAGES = [
  "/pricing", "/customers", "/about", "/contact", "/blog/buying-group-playbook", "/blog/zero-trust-checklist",
  "/blog/data-governance-101", "/resources/roi-calculator", "/resources/analyst-report", "/events/summit",
  "/webinars/modern-data-stack", "/docs/getting-started",
] as const;

export const SELLER_SITE = "https://www.example.com";
