/** Terminal output: colour only on a TTY, and never when NO_COLOR is set to anything but "" (no-color.org). */
export function useColour(stream: NodeJS.WriteStream = process.stdout): boolean {
  return Boolean(stream.isTTY) && !process.env.NO_COLOR;
}

const CODES = { red: 31, yellow: 33, green: 32, cyan: 36, dim: 2, bold: 1 } as const;
export type Colour = keyof typeof CODES;

export function paint(text: string, colour: Colour, stream: NodeJS.WriteStream = process.stdout): string {
  return useColour(stream) ? `\u001b[${CODES[colour]}m${text}\u001b[0m` : text;
}

export function printJson(value: unknown): void {
  process.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}
