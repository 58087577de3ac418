/** The variables of an `Fn::Sub` string. */

export interface SubVariable {
  /** The text between `${` and `}`. */
  name: string;
  /** Offset of the `$` in the string. */
  offset: number;
}

/**
 * Every `${...}` ROS substitutes. `${!Literal}` is the documented escape and stays text. ROS treats any
 * other `${...}` as a variable, shell syntax included (`${var:-x}`, `${arr[@]}`) [I: the ROS reference
 * names no other escape, and `$var` without braces is the only shell form it leaves alone].
 */
export function subVariables(text: string): SubVariable[] {
  const out: SubVariable[] = [];
  const pattern = /\$\{([^}]*)\}/g;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    if (!match[1].startsWith('!')) out.push({ name: match[1], offset: match.index });
  }
  return out;
}

/** `Fn::Sub` accepts a string, or a list of a string and a map of variables. */
export function subParts(argument: unknown): { text?: string; variables: Record<string, unknown> } {
  if (typeof argument === 'string') return { text: argument, variables: {} };
  if (Array.isArray(argument) && typeof argument[0] === 'string') {
    const vars = argument[1];
    const variables =
      typeof vars === 'object' && vars !== null && !Array.isArray(vars)
        ? (vars as Record<string, unknown>)
        : {};
    return { text: argument[0], variables };
  }
  return { variables: {} };
}

/**
 * Text that `Fn::Sub` leaves as it is: every `${` written `${!` (the ROS reference, Fn::Sub: "${!Literal}
 * is resolved as ${Literal}"), so a shell `${var}` in the ISV's commands is not read as a reference.
 */
export function escapeForSub(text: string): string {
  return text.replace(/\$\{/g, '${!');
}
