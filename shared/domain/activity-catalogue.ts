/**
 * The built-in activity-type catalogue: the union of both activity tables in the seeds
 * (name, engagement type, daily cap 20, weight). Ids are stable slugs; custom types may be added.
 */
export interface CatalogueEntry {
  id: string;
  name: string;
  description: string;
  engagementType: string;
  dailyCap: number;
  weight: number;
  countsTowardEngagement: boolean;
}

const entry = (name: string, engagementType: string, weight: number, description: string): CatalogueEntry => ({
  id: slugify(name),
  name,
  description,
  engagementType,
  dailyCap: 20,
  weight,
  countsTowardEngagement: true,
});

/** `Visit Webpage` → `visit-webpage`. */
export function slugify(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

export const ACTIVITY_CATALOGUE: readonly CatalogueEntry[] = [
  entry("Visit Webpage", "Web", 40, "Visits a web page"),
  entry("Fill Out Form", "Web", 40, "Fills out and submits a form on a web page"),
  entry("Click Link", "Web", 40, "Clicks a link on a web page"),
  entry("Register for Event", "Event", 60, "Registers for an event associated with a program"),
  entry("Attend Event", "Event", 90, "Attends a program event"),
  entry("Open Email", "Email", 30, "Opens an email"),
  entry("Click Email", "Email", 30, "Clicks a link in an email"),
  entry("Open Sales Email", "Email", 30, "Opens a sales email"),
  entry("Click Sales Email", "Email", 30, "Clicks a link in a sales email"),
  entry("Reply to Sales Email", "Email", 30, "Replies to a sales email"),
  entry("Interesting Moment", "Curated", 60, "Has an interesting moment"),
  entry("Tap Push Notification", "Mobile", 30, "Receives a push notification"),
  entry("Mobile App Activity", "Mobile", 30, "Performs an activity in a mobile app"),
  entry("Mobile App Session", "Mobile", 30, "Is active in a mobile app session"),
  entry("View In-App Message", "Mobile", 30, "Views an in-app message"),
  entry("Tap In-App Message", "Mobile", 30, "Taps an in-app message"),
  entry("Fill Out Facebook Lead Ads Form", "Social", 30, "Fills out and submits a lead ads form on a Facebook page"),
  entry("Click RTP Call to Action", "Web", 60, "Clicks a personalised call to action"),
  entry("Subscribe SMS", "SMS", 90, "Subscribes to SMS communication"),
  entry("Click Link in SMS V2", "SMS", 90, "Clicks a link in an SMS message"),
  entry("Engaged with a Dialogue", "Chat", 90, "Engages in a Dynamic Chat dialogue"),
  entry("Interacted with Document in Dialogue", "Chat", 90, "Interacts with a document in a chat dialogue"),
  entry("Scheduled Meeting in Dialogue", "Chat", 90, "Schedules a meeting in a chat dialogue"),
  entry("Reached Dialogue Goal", "Chat", 90, "Reaches a goal in a chat dialogue"),
  entry("Engaged with an Agent in Dialogue", "Chat", 90, "Engages with an agent in a chat dialogue"),
  entry("Clicked Link in Chat in Dialogue", "Chat", 90, "Clicks a link in a chat dialogue"),
  entry("Engaged with a Conversational Flow", "Chat", 90, "Engages with a conversational flow"),
  entry("Scheduled Meeting in Conversational Flow", "Chat", 90, "Schedules a meeting in a conversational flow"),
  entry("Reached Conversational Flow Goal", "Chat", 90, "Reaches a goal in a conversational flow"),
  entry("Interacted with Document in Conversational Flow", "Chat", 90, "Interacts with a document in a conversational flow"),
  entry("Engaged with an Agent in Conversational Flow", "Chat", 90, "Engages with an agent in a conversational flow"),
  entry("Clicked Link in Chat in Conversational Flow", "Chat", 90, "Clicks a link in a conversational flow"),
  entry("Responded to a Poll in Webinar", "Chat", 90, "Responds to a poll in a webinar"),
  entry("Call to Action Clicked in Webinar", "Call to action", 30, "Clicks a call-to-action link in a webinar"),
  entry("Asset Downloads in Webinar", "Event", 60, "Downloads a file or asset in a webinar"),
  entry("Asks Questions in Webinar", "Event", 60, "Asks questions in a webinar"),
  entry("Has Attended Event", "Event", 60, "Attended an event"),
  // Recorded on every send from Quorum; shown on the timeline, never scored.
  {
    ...entry("Sales Email Sent", "Email", 0, "Quorum sent an approved sales email to the person"),
    countsTowardEngagement: false,
  },
];

/**
 * Activity types that are something done *to* a person, not *by* them (Quorum's own outbound sales
 * emails). They never make a member look active: "stale" means the person did nothing in the window.
 */
export const OUTBOUND_ACTIVITY_TYPES: readonly string[] = ["sales-email-sent"];
