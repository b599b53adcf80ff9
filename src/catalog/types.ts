/** closed: API only · open-weight: downloadable under a custom licence · open-source: OSI licence · mixed: both kinds. */
export type Openness = 'closed' | 'open-weight' | 'open-source' | 'mixed';

/** Where a lab is based, grouped the way the trends report it. */
export type Origin = 'US' | 'CN' | 'EU' | 'other';

/** A model family: its names as written in the press, and how open it is. */
export interface FamilyEntry {
  id: string;
  name: string;
  openness: Openness;
  /** Names that always mean this family (word-bounded in Latin script). */
  aliases: string[];
  /** Names that are also ordinary words ("Gemini", "Llama"): they count only near a version or AI context. */
  ambiguous?: string[];
  /** Names that count only when a version follows ("Step-3", "Seed 2.0"). */
  strict?: string[];
  notable?: string[];
}

/** An AI lab. */
export interface LabEntry {
  id: string;
  name: string;
  /** ISO 3166 alpha-2. */
  country: string;
  openness: Openness;
  aliases: string[];
  ambiguous?: string[];
  strict?: string[];
  /** The family a version written right after the lab's name belongs to ("DeepSeek-V4"). */
  versionFamily?: string;
  /** Author prefixes of OpenRouter model ids ("deepseek/…"). */
  openrouterAuthors?: string[];
  hfOrgs?: string[];
  families: FamilyEntry[];
}
