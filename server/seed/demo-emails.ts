/** The demo's emails: `workspace` is an index into the two demo workspaces (Default, EMEA field marketing). */
export const DEMO_EMAILS = [
  {
    workspace: 0,
    name: "Intro: why now",
    approved: true,
    subject: '{{person.firstName | "Hi"}}, a quick idea for {{account.name}}',
    htmlBody:
      '<p>Hi {{person.firstName | "there"}},</p><p>Teams like {{account.name}} are looking at {{group.solutionInterest}} this quarter. As {{person.jobTitle | "part of the team"}}, would a 20-minute walkthrough help?</p><p>Best,<br>{{sender.name}}</p>',
    textBody:
      'Hi {{person.firstName | "there"}},\n\nTeams like {{account.name}} are looking at {{group.solutionInterest}} this quarter. As {{person.jobTitle | "part of the team"}}, would a 20-minute walkthrough help?\n\nBest,\n{{sender.name}}',
  },
  {
    workspace: 0,
    name: "Follow-up: case study",
    approved: true,
    subject: "How a team like {{account.name}} rolled out {{group.solutionInterest}}",
    htmlBody:
      '<p>Hi {{person.firstName | "there"}},</p><p>Here is a short case study from a company in {{account.industry | "your industry"}}. Happy to share the details.</p><p>{{sender.name}}</p>',
    textBody:
      'Hi {{person.firstName | "there"}},\n\nHere is a short case study from a company in {{account.industry | "your industry"}}. Happy to share the details.\n\n{{sender.name}}',
  },
  {
    workspace: 1,
    name: "EMEA roadshow invitation",
    approved: true,
    subject: "Invitation: {{group.solutionInterest}} roadshow",
    htmlBody:
      '<p>Dear {{person.fullName | "colleague"}},</p><p>We would be glad to welcome {{account.name}} at our EMEA roadshow on {{group.solutionInterest}}.</p><p>Kind regards,<br>{{sender.name}}</p>',
    textBody:
      'Dear {{person.fullName | "colleague"}},\n\nWe would be glad to welcome {{account.name}} at our EMEA roadshow on {{group.solutionInterest}}.\n\nKind regards,\n{{sender.name}}',
  },
  {
    workspace: 1,
    name: "Pricing update (draft)",
    approved: false,
    subject: "Pricing for {{account.name}}",
    htmlBody: '<p>Hi {{person.firstName | "there"}},</p><p>Draft: not approved for sending yet.</p>',
    textBody: 'Hi {{person.firstName | "there"}},\n\nDraft: not approved for sending yet.',
  },
] as const;
