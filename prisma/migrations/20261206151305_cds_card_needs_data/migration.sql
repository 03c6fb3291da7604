-- AlterEnum
ALTER TYPE "CdsCardKind" ADD VALUE 'NEEDS_DATA';
