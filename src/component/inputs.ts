import * as pulumi from "@pulumi/pulumi";

/** An `Input` whose value is available now (a plain value), or not yet (an Output or a Promise). */
export type Known<T> = { known: true; value: T } | { known: false };

export function knownValue<T>(input: pulumi.Input<T> | undefined): Known<T | undefined> {
  if (pulumi.Output.isInstance(input) || input instanceof Promise) return { known: false };
  return { known: true, value: input as T | undefined };
}

/** Resolves `input` through `check`, which returns a reason when the value is bad: for values known only later. */
export function checkedOutput<T>(
  propertyPath: string,
  input: pulumi.Input<T>,
  check: (value: T) => string | undefined,
): pulumi.Output<T> {
  return pulumi.output(input).apply((value) => {
    const reason = check(value as T);
    if (reason !== undefined) throw new pulumi.InputPropertyError({ propertyPath, reason });
    return value as T;
  }) as pulumi.Output<T>;
}

/** `input` unchanged when already validated (known now), else checked by `rule` once it resolves. */
export function checked<T>(
  propertyPath: string,
  input: pulumi.Input<T>,
  rule: (value: T) => string | undefined,
) {
  return knownValue(input).known ? input : checkedOutput(propertyPath, input, rule);
}

/** `checked`, for an optional input: undefined stays undefined. */
export function optionalChecked<T>(
  propertyPath: string,
  input: pulumi.Input<T> | undefined,
  rule: (value: T) => string | undefined,
): pulumi.Input<T> | undefined {
  return input === undefined ? undefined : checked(propertyPath, input, rule);
}
