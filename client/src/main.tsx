import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { ErrorBoundary } from './components/ErrorBoundary';
import { UndoToast } from './components/UndoToast';
import { applyTheme } from './lib/theme';
import { queryClient } from './queryClient';
import './styles.css';

applyTheme();
const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');

createRoot(rootElement).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      <ErrorBoundary>
        <App />
        <UndoToast />
      </ErrorBoundary>
    </QueryClientProvider>
  </StrictMode>,
);
