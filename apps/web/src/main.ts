import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { preloadRouteComponents } from './preload-route';
import { createAppRouter } from './router';
import { installSessionExpiry } from './session-expiry';
import './styles.css';

const router = createAppRouter();
preloadRouteComponents(router, window.location.pathname + window.location.search);
// `use(router)` starts the first navigation (and its auth-state request) right away; the first
// render runs in a task of its own, so neither it nor the evaluation of the scripts before it
// blocks the page for as long as both together would.
const app = createApp(App).use(createPinia()).use(router);
installSessionExpiry(router);
setTimeout(() => app.mount('#app'));
