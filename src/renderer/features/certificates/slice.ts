import type { StateCreator } from 'zustand';
import type { Output } from '../../../shared/contract';
import type { Certificate } from '../../../shared/contract/certificates.contract';
import { client } from '../../lib/client';
import { sortByExpiry, type CertificateFilter } from './inventory-view';
import type { AppState } from '../../store';

/** A server the last scan could not read, with the core's reason. */
export type CertificateProblem = Output<'certificates.scan'>['problems'][number];

export interface CertificatesSlice {
  certificates: Certificate[];
  certificatesLoaded: boolean;
  certificatesLoading: boolean;
  /** When the list was last read (ms): the "now" of days-left, so the table and the chart agree. */
  certificatesReadAt: number;
  /** The servers the last "Scan now" could not read (empty until a scan ran). */
  certificateProblems: CertificateProblem[];
  certificatesScanning: boolean;
  /** When the last scan from this window finished (ms), null before. */
  certificatesScannedAt: number | null;
  certificateFilter: CertificateFilter;
  setCertificateFilter(patch: Partial<CertificateFilter>): void;
  /** Reads the stored inventory (certificates.list, fleet-wide, soonest expiry first). */
  loadCertificates(): Promise<void>;
  /** Scans every server (certificates.scan), then reloads the inventory; failing servers become problems. */
  scanCertificates(): Promise<void>;
  clearCertificates(): void;
}

export type { CertificateFilter };

let generation = 0;

/** The fleet certificate inventory as the Certificates section shows it. */
export const createCertificatesSlice: StateCreator<AppState, [], [], CertificatesSlice> = (set, get) => ({
  certificates: [],
  certificatesLoaded: false,
  certificatesLoading: false,
  certificatesReadAt: 0,
  certificateProblems: [],
  certificatesScanning: false,
  certificatesScannedAt: null,
  certificateFilter: { serverId: '', state: '', query: '' },
  setCertificateFilter: (patch) => set((s) => ({ certificateFilter: { ...s.certificateFilter, ...patch } })),
  loadCertificates: async () => {
    const mine = ++generation;
    set({ certificatesLoading: true });
    try {
      const { certificates } = await client.call('certificates.list', {});
      if (mine !== generation) return;
      set({ certificates: sortByExpiry(certificates), certificatesLoaded: true, certificatesReadAt: Date.now() });
    } finally {
      if (mine === generation) set({ certificatesLoading: false });
    }
  },
  scanCertificates: async () => {
    const mine = generation;
    set({ certificatesScanning: true });
    try {
      const { problems } = await client.call('certificates.scan', {});
      if (mine !== generation) return;
      set({ certificateProblems: problems, certificatesScannedAt: Date.now() });
      await get().loadCertificates();
    } finally {
      set({ certificatesScanning: false });
    }
  },
  clearCertificates: () => {
    generation++;
    set({
      certificates: [],
      certificatesLoaded: false,
      certificatesLoading: false,
      certificateProblems: [],
      certificatesScanning: false,
      certificatesScannedAt: null,
    });
  },
});
