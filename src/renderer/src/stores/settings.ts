import { defineStore } from 'pinia';
import { ref, watch } from 'vue';
import { type Locale, i18n, isLocale, systemLocale } from '../i18n';
import { lab } from '../lab-api';

const LOCALE_KEY = 'dlfs-lab.locale';

function storedLocale(): Locale | undefined {
  try {
    const value = localStorage.getItem(LOCALE_KEY);
    return isLocale(value) ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The UI language: the one chosen before (localStorage), else the OS / browser language. */
export const useSettingsStore = defineStore('settings', () => {
  const locale = ref<Locale>(storedLocale() ?? systemLocale());

  watch(
    locale,
    (value) => {
      i18n.global.locale.value = value;
      document.documentElement.lang = value;
      // The host remembers it too (Electron's menu speaks it); if the host is away, the next choice tells it.
      lab.setLocale(value).catch(() => undefined);
    },
    { immediate: true },
  );

  function setLocale(value: Locale): void {
    locale.value = value;
    try {
      localStorage.setItem(LOCALE_KEY, value);
    } catch {
      // Storage may be unavailable; the choice then lasts for this session.
    }
  }

  return { locale, setLocale };
});
