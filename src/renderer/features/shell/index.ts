export { Shell } from './components/Shell';
export { SECTIONS, type SectionId } from './sections';
