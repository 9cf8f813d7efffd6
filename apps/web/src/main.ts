import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createAppRouter } from './router';
import { installSessionExpiry } from './session-expiry';
import './styles.css';

const router = createAppRouter();
createApp(App).use(createPinia()).use(router).mount('#app');
installSessionExpiry(router);
