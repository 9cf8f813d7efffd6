// The API contract shared by the server (validation, OpenAPI) and the web app (typed client).
// One file per module; re-export them all here.
export * from './errors.js';
export * from './scopes.js';
export * from './primitives.js';
export * from './health.js';
export * from './jobs.js';
export * from './crm.js';
export * from './accounts.js';
export * from './scans.js';
export * from './admin.js';
export * from './admin-actions.js';
export * from './admin-views.js';
