import type { GroupDetails } from "../../shared/api/groups";
import { formatDate, type Language } from "../utils/i18n";

/** The account's last three journeys (name · status · entered), or `empty` when it has none. Panel and admin console. */
export function RecentJourneys({
  journeys,
  lang,
  empty,
}: {
  journeys: GroupDetails["account"]["journeys"];
  lang: Language;
  empty: string;
}) {
  if (journeys.length === 0) return <>{empty}</>;
  return (
    <ul class="plain">
      {journeys.slice(0, 3).map((j) => (
        <li key={j.id}>
          {j.name} · {j.status} · {formatDate(lang, j.enteredAt)}
        </li>
      ))}
    </ul>
  );
}
