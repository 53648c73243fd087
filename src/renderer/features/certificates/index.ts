export { CertificatesSection } from './components/CertificatesSection';
export { HttpsDialog } from './components/HttpsDialog';
export { useCertificatesSync } from './hooks';
