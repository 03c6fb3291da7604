-- CreateEnum
CREATE TYPE "SideEffectKind" AS ENUM ('CONSTIPATION', 'SEDATION', 'NAUSEA', 'DIZZINESS', 'COGNITIVE', 'RESPIRATORY_DEPRESSION', 'GI_BLEEDING', 'OTHER');

-- AlterTable
ALTER TABLE "AssessmentSideEffect" ADD COLUMN     "kinds" "SideEffectKind"[] DEFAULT ARRAY[]::"SideEffectKind"[];
