export { OperationsButton, OperationsDrawer } from './components/OperationsDrawer';
export { useOperationEvents } from './hooks';
export { isActive } from './slice';
