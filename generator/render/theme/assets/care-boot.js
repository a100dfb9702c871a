/* 适老化/无障碍 settings and the article 字号 step before the first paint (a blocking script in <head>,
   main.html), so a reader who chose them never sees the page jump; a file rather than an inline line, for the
   CSP. care.js wires the toolbar, reader.js the article 字号 buttons.
   Keys: portal-care, portal-contrast, portal-cursor, portal-readline ("1" = on), portal-text ("l" or "xl"),
   portal-size (article text: "s" or "l"). */
(function(){try{
  var r=document.documentElement,s=localStorage,f=["care","contrast","cursor","readline"],i,t;
  for(i=0;i<f.length;i++)if(s.getItem("portal-"+f[i])==="1")r.classList.add("portal-"+f[i]);
  t=s.getItem("portal-text");if(t==="l"||t==="xl")r.classList.add("portal-text-"+t);
  t=s.getItem("portal-size");if(t==="s"||t==="l")r.classList.add("portal-size-"+t);
}catch(e){}})();
