import { createContext, useContext, useMemo, useState, type ReactNode } from 'react';
import { ConfigProvider, App as AntApp } from 'antd';
import zh_CN from 'antd/locale/zh_CN';
import en_US from 'antd/locale/en_US';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { i18next, rememberLanguage, storedLanguage, type Language } from './i18n.js';

interface LanguageState {
  language: Language;
  setLanguage: (lang: Language) => void;
}

const LanguageContext = createContext<LanguageState>({ language: 'zh-CN', setLanguage: () => {} });

function applyLanguage(lang: Language): void {
  void i18next.changeLanguage(lang);
  dayjs.locale(lang === 'zh-CN' ? 'zh-cn' : 'en');
  document.documentElement.lang = lang;
  rememberLanguage(lang);
}

/** Switches i18next, antd's locale and dayjs's locale together, and remembers the choice. */
export function LocaleProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(() => {
    const lang = storedLanguage();
    applyLanguage(lang);
    return lang;
  });
  const value = useMemo<LanguageState>(
    () => ({
      language,
      setLanguage: (lang) => {
        applyLanguage(lang);
        setLanguageState(lang);
      },
    }),
    [language],
  );
  return (
    <LanguageContext.Provider value={value}>
      <ConfigProvider locale={language === 'zh-CN' ? zh_CN : en_US} theme={{ token: { colorPrimary: '#1677ff' } }}>
        <AntApp>{children}</AntApp>
      </ConfigProvider>
    </LanguageContext.Provider>
  );
}

export function useLanguage(): LanguageState {
  return useContext(LanguageContext);
}
