// Progress lines on the console: bold only on a terminal (NO_COLOR and FORCE_COLOR honoured,
// https://no-color.org), so output redirected to a file stays plain text.
const color = process.env.FORCE_COLOR
  ? process.env.FORCE_COLOR !== '0'
  : process.stdout.isTTY && !process.env.NO_COLOR;

const bold = (text) => (color ? `\x1b[1m${text}\x1b[0m` : text);

/** Announces a phase of the bench. */
export const step = (text) => console.log(bold(`▸ ${text}`));

/** A line of progress within a phase. */
export const progress = (text) => console.log(`  ${text}`);
