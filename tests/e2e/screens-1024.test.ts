import { demoClinicScreenSuite } from "../helpers/screens";

const { checkEveryScreenAt } = demoClinicScreenSuite();

checkEveryScreenAt(1024);
