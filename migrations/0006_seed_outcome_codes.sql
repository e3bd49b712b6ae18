-- Home Office crime outcome codes (scheme of April 2021, when outcome 22 became compulsory), with the
-- outcome groups of the Home Office's published tables. 19 is not among the published outcomes. A new
-- scheme is a new set of rows under another scheme name: it is data, not code.
INSERT INTO outcome_codes (scheme, code, label, outcome_group, valid_from) VALUES
  ('2021-04', 1, 'Charge/summons', 'charged_summonsed', '2021-04-01'),
  ('2021-04', 2, 'Caution - youths', 'out_of_court_formal', '2021-04-01'),
  ('2021-04', 3, 'Caution - adults', 'out_of_court_formal', '2021-04-01'),
  ('2021-04', 4, 'Taken into consideration', 'taken_into_consideration', '2021-04-01'),
  ('2021-04', 5, 'The offender has died', 'prosecution_prevented_or_not_in_public_interest', '2021-04-01'),
  ('2021-04', 6, 'Penalty Notice for Disorder', 'out_of_court_formal', '2021-04-01'),
  ('2021-04', 7, 'Cannabis/khat warning', 'out_of_court_formal', '2021-04-01'),
  ('2021-04', 8, 'Community resolution', 'out_of_court_informal', '2021-04-01'),
  ('2021-04', 9, 'Prosecution not in the public interest (CPS)', 'prosecution_prevented_or_not_in_public_interest', '2021-04-01'),
  ('2021-04', 10, 'Formal action against the offender not in the public interest (police)', 'prosecution_prevented_or_not_in_public_interest', '2021-04-01'),
  ('2021-04', 11, 'Prosecution prevented - suspect below the age of criminal responsibility', 'prosecution_prevented_or_not_in_public_interest', '2021-04-01'),
  ('2021-04', 12, 'Prosecution prevented - suspect too ill to prosecute', 'prosecution_prevented_or_not_in_public_interest', '2021-04-01'),
  ('2021-04', 13, 'Prosecution prevented - victim or key witness dead or too ill to give evidence', 'prosecution_prevented_or_not_in_public_interest', '2021-04-01'),
  ('2021-04', 14, 'Evidential difficulties (suspect not identified; victim does not support action)', 'evidential_difficulties_victim_does_not_support', '2021-04-01'),
  ('2021-04', 15, 'Evidential difficulties (suspect identified; victim supports action)', 'evidential_difficulties_victim_supports', '2021-04-01'),
  ('2021-04', 16, 'Evidential difficulties (suspect identified; victim does not support action)', 'evidential_difficulties_victim_does_not_support', '2021-04-01'),
  ('2021-04', 17, 'Prosecution time limit expired', 'prosecution_prevented_or_not_in_public_interest', '2021-04-01'),
  ('2021-04', 18, 'Investigation complete - no suspect identified', 'investigation_complete_no_suspect', '2021-04-01'),
  ('2021-04', 20, 'Responsibility for further investigation transferred to another body', 'transferred_to_another_body', '2021-04-01'),
  ('2021-04', 21, 'Further investigation to support formal action not in the public interest (police)', 'further_investigation_not_in_public_interest', '2021-04-01'),
  ('2021-04', 22, 'Diversionary, educational or intervention activity; further action not in the public interest', 'diversionary', '2021-04-01')
ON CONFLICT DO NOTHING;
