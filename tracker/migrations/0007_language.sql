-- 7: the language each person chose for the tracker and for what it sends them ('cy' or 'en';
-- NULL while they have not chosen: pages follow the browser, correspondence goes in both)
    ALTER TABLE users ADD COLUMN language TEXT CHECK (language IN ('cy', 'en'));
