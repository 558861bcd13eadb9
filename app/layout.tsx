import type { Metadata, Viewport } from 'next';
import type { ReactNode } from 'react';
import { Header } from '@/components/shell/header';
import { THEME_INIT_SCRIPT } from '@/components/shell/theme-script';
import { Providers } from './providers';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Porthole', template: '%s · Porthole' },
  description: 'Browse OCI container registries and clean them up.',
  // A private registry browser: crawlers are also kept out by public/robots.txt.
  robots: { index: false, follow: false },
};

export const viewport: Viewport = {
  themeColor: [
    { media: '(prefers-color-scheme: light)', color: '#ffffff' },
    { media: '(prefers-color-scheme: dark)', color: '#09090b' },
  ],
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    // The inline script sets the `dark` class before React hydrates: <html> differs on purpose.
    <html lang="en" suppressHydrationWarning>
      <head>
        <script dangerouslySetInnerHTML={{ __html: THEME_INIT_SCRIPT }} />
      </head>
      <body className="min-h-screen">
        <a
          href="#main"
          className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900"
        >
          Skip to content
        </a>
        <Providers>
          <Header />
          <main id="main" className="mx-auto max-w-screen-2xl px-4 py-5">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
