-- Written by hand: the number of failed sign-ins to the account since its previous sign-in, counted
-- when a session starts and shown to the user once, on the first page the session opens.
ALTER TABLE "Session" ADD COLUMN "failedSignInsBefore" INTEGER;
