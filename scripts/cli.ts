// What the command-line scripts share: a usage error (exit 2, the usage printed) apart from a failure (exit 1).

export class UsageError extends Error {
  override name = 'UsageError';
}

/** Runs the script's main and exits with its code; a thrown error is printed, with the usage when it is the caller's. */
export function runCli(main: () => Promise<number>, usage: string): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error instanceof Error ? error.message : error);
      if (error instanceof UsageError) console.error(usage);
      process.exit(error instanceof UsageError ? 2 : 1);
    },
  );
}
