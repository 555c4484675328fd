import { parseArgs } from "node:util";
import { CreateEventSourceBody } from "../../shared/api/event-sources";
import { QuorumError } from "../../shared/errors";
import { openDatabase } from "../bootstrap";
import type { Config } from "../config";
import { listEventMappings, listUnmapped, saveEventMappings } from "./mapping";
import { createSource, deleteSource, listSources, rotateSecret, updateSource } from "./sources.repo";

export const SOURCES_HELP = `  sources list | sources create --name <name> | sources rotate <id>
  sources pause <id> | sources resume <id> | sources delete <id>
                                      event sources (CDP webhooks); create and rotate print the secret once
  sources mappings                    track event names → activity types, and the unmapped names with counts
  sources map "<event name>" <activity type id | none>
                                      map a track event name (none: not imported); its held events are stored`;

/** `sources …` (wired into server/cli/main.ts). Returns the exit code. */
export async function runSourcesCli(argv: string[], config: Config): Promise<number> {
  const { positionals, values } = parseArgs({ args: argv, allowPositionals: true, options: { name: { type: "string" } } });
  const [, sub, arg, arg2] = positionals;
  const db = await openDatabase(config);
  const deps = { db, config, clock: () => new Date() };
  const now = () => new Date().toISOString();
  const base = (config.email.publicUrl ?? "").replace(/\/+$/, "");
  const printSecret = (s: { id: string; name: string; ingestPath: string; secret: string }) => {
    console.log(`${s.id}  ${s.name}`);
    console.log(`  ingest URL: ${base}${s.ingestPath}`);
    console.log(`  secret (shown this once; sign with it or send it as Authorization: Bearer): ${s.secret}`);
  };
  try {
    switch (sub) {
      case "list":
        for (const s of await listSources(db))
          console.log(
            `${s.id}  ${s.status.padEnd(6)} ${s.name}  ${base}${s.ingestPath}  secret ${s.secretHint}  ${s.eventsReceived} events${s.lastEventAt ? `, last ${s.lastEventAt}` : ""}`,
          );
        return 0;
      case "create": {
        const body = CreateEventSourceBody.safeParse({ name: values.name });
        if (!body.success) {
          console.error('Usage: npm run quorum -- sources create --name "Segment production"');
          return 1;
        }
        printSecret(await createSource(db, config, body.data.name, now()));
        return 0;
      }
      case "rotate":
        if (!arg) break;
        printSecret(await rotateSecret(db, config, arg, now()));
        return 0;
      case "pause":
      case "resume":
        if (!arg) break;
        console.log(`${(await updateSource(db, arg, { status: sub === "pause" ? "paused" : "active" }, now())).status}`);
        return 0;
      case "delete":
        if (!arg) break;
        await deleteSource(db, arg);
        console.log(`Deleted ${arg}; the activities it delivered stay.`);
        return 0;
      case "mappings": {
        for (const m of await listEventMappings(db))
          console.log(`${m.eventName.padEnd(32)} → ${m.typeId ?? "(not imported)"}  ${m.origin}`);
        const unmapped = await listUnmapped(db);
        if (unmapped.length) console.log("\nUnmapped (map them with `sources map`):");
        for (const u of unmapped)
          console.log(`${u.eventName.padEnd(32)}   ${u.count} received, ${u.waiting} waiting, last ${u.lastSeenAt}`);
        return 0;
      }
      case "map": {
        if (!arg || !arg2) break;
        const released = await saveEventMappings(deps, [{ eventName: arg, typeId: arg2 === "none" ? null : arg2 }]);
        console.log(`Mapped '${arg}' → ${arg2 === "none" ? "(not imported)" : arg2}; ${released} held events stored.`);
        return 0;
      }
    }
    console.error(`Usage:\n${SOURCES_HELP}`);
    return 1;
  } catch (err) {
    if (err instanceof QuorumError) {
      console.error(err.message);
      return 1;
    }
    throw err;
  } finally {
    await db.destroy();
  }
}
