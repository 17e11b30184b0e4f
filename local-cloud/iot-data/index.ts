export { createIotDataPlane, type IotDataPlane, type IotDataPlaneOptions } from './data-plane-service';
