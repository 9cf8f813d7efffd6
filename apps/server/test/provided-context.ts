// What the global setup hands to every test file through vitest's provide/inject.
export {};

declare module 'vitest' {
  interface ProvidedContext {
    /** A server URL on which tests may create databases. */
    databaseServerUrl: string;
    /** A migrated database that test databases are copied from. */
    templateDatabase: string;
  }
}
