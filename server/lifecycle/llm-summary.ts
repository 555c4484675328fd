import type { Deps } from "../deps";
import type { SummaryLang } from "../groups/summaries";

const LANG_NAMES: Record<SummaryLang, string> = { en: "English", nl: "Dutch", sv: "Swedish", fr: "French" };
const MAX_CACHE = 2000;

interface Entry {
  text: string | null;
  pending: Promise<void> | null;
}

/**
 * Optional LLM rewording of the deterministic summaries through an OpenAI-compatible
 * `/chat/completions` endpoint. A request never waits for the model: it gets the cached model text
 * for exactly these facts if there is one, otherwise the deterministic text while the model is asked
 * in the background (bounded by the configured timeout). Any failure keeps the deterministic text.
 */
export function createSummarizer(deps: Deps) {
  const cache = new Map<string, Entry>();
  const ask = async (facts: string, lang: SummaryLang): Promise<string | null> => {
    const llm = deps.config.lifecycle.llm;
    if (!llm) return null;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), llm.timeoutMs);
    try {
      const res = await fetch(`${llm.url}/chat/completions`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(llm.apiKey ? { authorization: `Bearer ${llm.apiKey}` } : {}) },
        body: JSON.stringify({
          model: llm.model,
          temperature: 0.2,
          messages: [
            {
              role: "system",
              content: `You write two-sentence summaries of B2B buying groups for sales reps, in ${LANG_NAMES[lang]}. Use only the facts given; keep every number exactly as given.`,
            },
            { role: "user", content: facts },
          ],
        }),
        signal: controller.signal,
      });
      if (!res.ok) return null;
      const body = (await res.json()) as { choices?: Array<{ message?: { content?: unknown } }> };
      const text = body.choices?.[0]?.message?.content;
      return typeof text === "string" && text.trim() ? text.trim().slice(0, 2000) : null;
    } catch {
      return null;
    } finally {
      clearTimeout(timer);
    }
  };
  return {
    /** The best summary available now, and where it came from; starts a model call when useful. */
    summarize(key: string, deterministic: string, lang: SummaryLang): { text: string; source: "llm" | "deterministic" } {
      if (!deps.config.lifecycle.llm) return { text: deterministic, source: "deterministic" };
      const cacheKey = `${lang}|${key}|${deterministic}`;
      const hit = cache.get(cacheKey);
      if (hit?.text) return { text: hit.text, source: "llm" };
      if (!hit) {
        if (cache.size >= MAX_CACHE) cache.delete(cache.keys().next().value!);
        const entry: Entry = { text: null, pending: null };
        entry.pending = ask(deterministic, lang).then((text) => {
          entry.text = text;
          entry.pending = null;
          // A failed call is forgotten so a later request may try again.
          if (!text) cache.delete(cacheKey);
        });
        cache.set(cacheKey, entry);
      }
      return { text: deterministic, source: "deterministic" };
    },
    /** Waits for model calls in flight (tests, shutdown). */
    async settle(): Promise<void> {
      await Promise.all([...cache.values()].map((e) => e.pending));
    },
  };
}

export type Summarizer = ReturnType<typeof createSummarizer>;
