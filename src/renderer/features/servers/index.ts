export { ServersSection } from './components/ServersSection';
