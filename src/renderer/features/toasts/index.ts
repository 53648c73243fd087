export { Toasts } from './components/Toasts';
