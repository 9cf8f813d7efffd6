import type { WebModule } from '../web-module';
import admin from './admin';
import apiDocs from './api-docs';
import auth from './auth';
import crm from './crm';
import home from './home';
import jobs from './jobs';
import profile from './profile';
import scans from './scans';

/**
 * The web app's modules. A module adds its folder here (one import, one entry); the router
 * takes its routes and the top bar its menu entries, in this order.
 */
export const webModules: readonly WebModule[] = [
  home,
  jobs,
  crm,
  scans,
  apiDocs,
  profile,
  admin,
  auth,
];
