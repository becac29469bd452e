import { ApiError } from '../api/client.js';

// The API lists every bad field with a developer's message ("email must be an email"); the
// screens show each under its field, in words an admin reads, and no banner that only repeats
// them.

/** The password policy, as a field's hint (the API checks it; its refusals replace the hint). */
export const PASSWORD_RULE =
  'At least 12 characters, not your email address, not a common password.';

const sentence = (text: string): string => {
  const trimmed = text.trim();
  const capital = `${trimmed.charAt(0).toUpperCase()}${trimmed.slice(1)}`;
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

const REQUIRED = 'This field is required.';

const RULES: readonly [RegExp, (match: RegExpExecArray) => string][] = [
  [
    /^must be longer than or equal to (\d+) characters?$/,
    (m) => (Number(m[1]) <= 1 ? REQUIRED : `Use at least ${m[1] ?? ''} characters.`),
  ],
  [
    /^must be shorter than or equal to (\d+) characters?$/,
    (m) => `Use at most ${m[1] ?? ''} characters.`,
  ],
  [/^must be an email$/, () => 'Enter an email address, such as name@example.com.'],
  [/^(should not be empty|must be a string)$/, () => REQUIRED],
  [/^must be one of the following values: (.+)$/, (m) => `Choose one of: ${m[1] ?? ''}.`],
  [/^must be a valid ISO 8601 date string$/, () => 'Enter a valid date and time.'],
  [/^must be a boolean value$/, () => 'Choose yes or no.'],
  [/^property \S+ should not exist$/, () => 'This field is not expected here.'],
  [/^is not the current password$/, () => 'This is not your current password.'],
];

/** The API's message about one field, as a sentence for the admin. */
export function humanFieldMessage(field: string, message: string): string {
  // class-validator starts with the property name ("email must…", "type must…" for actor.type)
  const property = field.split(/[.[]/).at(-1) ?? field;
  const text = message.startsWith(`${property} `) ? message.slice(property.length + 1) : message;
  for (const [pattern, say] of RULES) {
    const match = pattern.exec(text.trim());
    if (match) return say(match);
  }
  return sentence(text);
}

export interface FormProblems {
  /** What to show above the form: null when every problem is shown at its field. */
  readonly banner: string | null;
  /** The problems of one field, as sentences; undefined when it has none. */
  readonly field: (name: string) => string | undefined;
}

/**
 * An error of a form's call, split between its fields (those in `shown`, with their labels) and
 * a banner for the rest. A refusal that only lists shown fields gets no banner.
 */
export function formProblems(
  error: unknown,
  shown: Readonly<Record<string, string>>,
): FormProblems {
  if (error === undefined || error === null) return { banner: null, field: () => undefined };
  if (!(error instanceof ApiError) || error.fields.length === 0) {
    const message = error instanceof Error ? error.message : 'Something went wrong';
    return { banner: message, field: () => undefined };
  }
  const problems = error.fields.map((problem) => ({
    field: problem.field,
    text: humanFieldMessage(problem.field, problem.message),
  }));
  const elsewhere = problems.filter((problem) => !(problem.field in shown));
  return {
    banner:
      elsewhere.length === 0
        ? null
        : elsewhere.map((problem) => `${problem.field}: ${problem.text}`).join(' '),
    field: (name) => {
      const mine = problems.filter((problem) => problem.field === name).map((p) => p.text);
      return mine.length === 0 ? undefined : [...new Set(mine)].join(' ');
    },
  };
}
